# Shared settings of every codse target: warnings (errors in CI), sanitizers on request.

function(codse_target_settings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(CODSE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CODSE_SANITIZE)
    # -O1: Eigen and the explorers are 10-50x slower at -O0, which made the sanitizer pass the
    # longest part of CI; assertions stay on (Debug keeps NDEBUG undefined).
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined -O1)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# codse_module(NAME SOURCES ... DEPENDS ...): one library per folder of src/.
function(codse_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  if(NOT ARG_SOURCES)  # a module with headers only
    add_library(codse_${name} INTERFACE)
    add_library(codse::${name} ALIAS codse_${name})
    target_include_directories(codse_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(codse_${name} INTERFACE ${ARG_DEPENDS})
    return()
  endif()
  add_library(codse_${name} STATIC ${ARG_SOURCES})
  add_library(codse::${name} ALIAS codse_${name})
  target_include_directories(codse_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(codse_${name} PUBLIC ${ARG_DEPENDS})
  codse_target_settings(codse_${name})
endfunction()

# codse_test(NAME SOURCES ... DEPENDS ...): one GoogleTest binary per module.
function(codse_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    CODSE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CODSE_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data"
    CODSE_BINARY="$<TARGET_FILE:codse>")
  codse_target_settings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300 LABELS ${name})
endfunction()
