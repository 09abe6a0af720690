# switchboard_add_provider(<name> SOURCES <src>... [OUTPUT_DIRECTORY <dir>])
#
# Builds the provider plugin <name> as a loadable module <name>.so that links only the
# SDK, with hidden symbol visibility and (on Linux) a linker version script so that
# sb_provider_entry is its only export, and with every symbol resolved at link time (a
# missing one fails the build, not the load).
# OUTPUT_DIRECTORY defaults to CMake's usual library output directory.
function(switchboard_add_provider name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "switchboard_add_provider(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Switchboard::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
    # Hidden visibility alone leaks std:: template instantiations (libstdc++ marks its
    # namespace visibility("default")); the version script keeps the export list exact.
    set(exports ${CMAKE_CURRENT_BINARY_DIR}/${name}_exports.map)
    file(GENERATE OUTPUT ${exports} CONTENT "{\n  global: sb_provider_entry;\n  local: *;\n};\n")
    target_link_options(${name} PRIVATE -Wl,--version-script=${exports})
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${exports})
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
endfunction()
