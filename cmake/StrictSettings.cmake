# Strict settings shared by every target of the project (see design/STYLE.md).
add_library(clusterra_strict INTERFACE)
target_compile_definitions(clusterra_strict INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    QT_USE_QSTRINGBUILDER
    # Nothing Qt 6.4 (Debian 12's) has deprecated, so the next Qt does not break the build.
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    CLUSTERRA_VERSION="${PROJECT_VERSION}")
target_compile_options(clusterra_strict INTERFACE
    -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough
    -Wold-style-cast -Wcast-qual
    $<$<BOOL:${CLUSTERRA_WERROR}>:-Werror>)

if(CLUSTERRA_SANITIZE)
    # Every target, libraries included: a bug found only in a test binary's own code is rare.
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# Adds a Qt Test suite: one executable per source, run headless by CTest.
function(clusterra_add_test name)
    cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${T_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test clusterra_strict ${T_LIBS})
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=*.debug=false"
        TIMEOUT 300)
endfunction()
