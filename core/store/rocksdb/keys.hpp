// Key layout. Every key of project data starts with the project id, so a project's rows
// are one range; parts are separated by '\0', which ids and names never contain.
//
// column family  key                                      value
// projects       <p>                                      project record
// tokens         <token id>                               token record (hash only)
// connections    <p> 0 <connection id>                    connection record
// names          <p> 0 <lower name>                       {id, provider, status}  (listing order)
// name_keys      <p> 0 <names::UniquenessKey(name)>       {id}  (unique: look-alikes collide)
// statuses       <p> 0 <status> 0 <lower name>            {id, provider}
// components     <p> 0 <kind> 0 <component id>            component record
// refs           <p> 0 <connection id> 0 <kind> 0 <id>    {name}
// counters       r 0 <p> 0 <connection id> 0 <kind>       int64 (read-modify-write under its lock)
// history        <p> 0 <connection id> 0 <sequence>       status event (newest first)
// events         <p> 0 <sequence>                         status event (newest first)
// default        admin_token_hash, name_index_version     meta
//                storage_probe                            time of the resumer's last test write (writes failing)
#pragma once

#include <string>
#include <string_view>

#include <switchboard/text_util.hpp>

#include "common/names.hpp"

namespace switchboard::keys {

inline std::string Join(std::initializer_list<std::string_view> parts) {
  std::string key;
  bool first = true;
  for (auto part : parts) {
    if (!first) key.push_back('\0');
    key.append(part);
    first = false;
  }
  return key;
}

// A prefix that matches every key starting with these parts and a separator.
inline std::string Prefix(std::initializer_list<std::string_view> parts) {
  return Join(parts) + std::string(1, '\0');
}

// ASCII lower case; names compare and sort case-insensitively through it.
inline std::string Lower(std::string_view text) { return switchboard::Lower(std::string(text)); }

inline std::string Connection(std::string_view p, std::string_view id) { return Join({p, id}); }
inline std::string Name(std::string_view p, std::string_view name) { return Join({p, Lower(name)}); }
inline std::string UniqueName(std::string_view p, std::string_view name) {
  return Join({p, names::UniquenessKey(name)});
}
inline std::string StatusIndex(std::string_view p, std::string_view status, std::string_view name) {
  return Join({p, status, Lower(name)});
}
inline std::string Component(std::string_view p, std::string_view kind, std::string_view id) {
  return Join({p, kind, id});
}
inline std::string Ref(std::string_view p, std::string_view conn, std::string_view kind,
                       std::string_view id) {
  return Join({p, conn, kind, id});
}
inline std::string RefCount(std::string_view p, std::string_view conn, std::string_view kind) {
  return Join({"r", p, conn, kind});
}
// Every counter row of one connection (its kinds follow the prefix).
inline std::string RefCountPrefix(std::string_view p, std::string_view conn) { return Prefix({"r", p, conn}); }
inline std::string History(std::string_view p, std::string_view conn, std::string_view sequence) {
  return Join({p, conn, sequence});
}
inline std::string Event(std::string_view p, std::string_view sequence) { return Join({p, sequence}); }

}  // namespace switchboard::keys
