// What the Google Calendar provider declares: id, names, icon and field schema.
#ifndef GOOGLE_CALENDAR_MANIFEST_HPP
#define GOOGLE_CALENDAR_MANIFEST_HPP

#include <switchboard/provider.hpp>

namespace google_calendar {

switchboard::Manifest MakeManifest();

}  // namespace google_calendar

#endif  // GOOGLE_CALENDAR_MANIFEST_HPP
