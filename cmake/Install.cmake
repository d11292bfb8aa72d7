# `cmake --install` lays out headers under include/atrous/ and a CMake package, so that
# find_package(atrous CONFIG REQUIRED) + target_link_libraries(app PRIVATE atrous::atrous) works.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

foreach(dir tensor autograd layers)
  install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/atrous/${dir}
          FILES_MATCHING PATTERN "*.h" PATTERN "*-inl.h" EXCLUDE)
endforeach()
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/layers/atrous.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/atrous)

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
