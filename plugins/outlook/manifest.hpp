// What the Microsoft Outlook provider declares: id, names, icon and field schema.
#ifndef OUTLOOK_MANIFEST_HPP
#define OUTLOOK_MANIFEST_HPP

#include <switchboard/provider.hpp>

namespace outlook {

switchboard::Manifest MakeManifest();

}  // namespace outlook

#endif  // OUTLOOK_MANIFEST_HPP
