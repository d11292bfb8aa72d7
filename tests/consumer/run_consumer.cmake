# Installs the atrous build at ATROUS_BUILD_DIR into a scratch prefix, then configures, builds
# and runs tests/consumer against it. Run as: cmake -DATROUS_BUILD_DIR=... -DCONSUMER_SOURCE_DIR=... -P this
set(prefix ${ATROUS_BUILD_DIR}/consumer_test/install)
set(build ${ATROUS_BUILD_DIR}/consumer_test/build)
file(REMOVE_RECURSE ${ATROUS_BUILD_DIR}/consumer_test)

function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${ATROUS_BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${build} -G ${CMAKE_GENERATOR} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${build})
run(${build}/consumer)
