# SPDX-License-Identifier: Apache-2.0
# `cmake --install` lays out the public headers under include/atrous/, a CMake package and a
# pkg-config file, so that find_package(atrous CONFIG REQUIRED) + target_link_libraries(app
# PRIVATE atrous::atrous), or `pkg-config --cflags --libs atrous`, is all a user needs.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
include(PublicHeaders)

foreach(header ${ATROUS_PUBLIC_HEADERS})
  get_filename_component(dir ${header} DIRECTORY)
  install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/${header} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/atrous/${dir})
endforeach()
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/layers/atrous.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/atrous)
# Relocatable: the prefix is found from the .pc file's own place, as `cmake --install --prefix`
# may install somewhere other than CMAKE_INSTALL_PREFIX.
file(RELATIVE_PATH ATROUS_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
# A sanitized build's objects call the sanitizer runtime: its users link with the same flag.
set(ATROUS_PC_LINK_FLAGS "")
if(ATROUS_SANITIZE)
  set(ATROUS_PC_LINK_FLAGS " -fsanitize=${ATROUS_SANITIZE}")
endif()
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/atrous.pc.in ${CMAKE_CURRENT_BINARY_DIR}/atrous.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/atrous.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(TARGETS atrous EXPORT atrousTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT atrousTargets NAMESPACE atrous:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/atrous)
configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/atrousConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/atrousConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/atrous)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/atrousConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/atrousConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/atrousConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/atrous)
