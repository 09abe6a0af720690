// The meta-schema every provider's field schema must conform to
// (schemas/provider-field-schema.json, compiled into the binary so the host needs no
// files besides its plugins).
#pragma once

#include <string_view>

namespace switchboard {

std::string_view ProviderFieldMetaSchemaText();

}  // namespace switchboard
