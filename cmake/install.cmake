# `cmake --install` puts the engine and model libraries, the public headers, the padsim executables
# and a padsimConfig.cmake under the prefix, so another project can
#
#     find_package(padsim REQUIRED)
#     target_link_libraries(my_model PRIVATE padsim::sim)      # or padsim::models
#
# tests/consumer/ is such a project; the test `install_and_find_package` builds it against an
# installed tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS padsim_sim padsim_models EXPORT padsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/padsim DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET padsim)
  install(TARGETS padsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET padsim-mpi)
  install(TARGETS padsim-mpi RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(PADSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/padsim)
install(EXPORT padsimTargets NAMESPACE padsim:: DESTINATION ${PADSIM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/padsimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/padsimConfig.cmake INSTALL_DESTINATION ${PADSIM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/padsimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/padsimConfig.cmake ${PROJECT_BINARY_DIR}/padsimConfigVersion.cmake
        DESTINATION ${PADSIM_CMAKE_DIR})
