# SPDX-License-Identifier: Apache-2.0
# Runs an example and requires its standard output to equal a captured screen, byte for byte;
# with MAX_WIDTH, also that no line is wider. On a difference it prints `diff -u golden actual`.
# To re-capture after an intended change: ATROUS_UPDATE_GOLDEN=1 ctest -R golden.
# cmake -DEXE=path "-DARGS=--rf;vgg" -DGOLDEN=file -DWORK=dir [-DMAX_WIDTH=80] -P golden_screen.cmake
execute_process(COMMAND ${EXE} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} ${ARGS} failed (${rc}):\n${out}\n${err}")
endif()
if(DEFINED MAX_WIDTH)
  math(EXPR wider "${MAX_WIDTH} + 1")
  string(REGEX MATCH "[^\n]{${wider},}" long "${out}")
  if(long)
    message(FATAL_ERROR "a line is wider than ${MAX_WIDTH} columns:\n${long}")
  endif()
endif()
if(DEFINED ENV{ATROUS_UPDATE_GOLDEN})
  file(WRITE ${GOLDEN} "${out}")
  message(STATUS "wrote ${GOLDEN}")
  return()
endif()
file(READ ${GOLDEN} want)
if(NOT out STREQUAL want)
  get_filename_component(name ${GOLDEN} NAME)
  file(WRITE ${WORK}/${name} "${out}")
  execute_process(COMMAND diff -u ${GOLDEN} ${WORK}/${name} OUTPUT_VARIABLE diff)
  message(FATAL_ERROR "the screen differs from ${GOLDEN}:\n${diff}")
endif()
