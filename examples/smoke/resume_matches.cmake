# SPDX-License-Identifier: Apache-2.0
# Runs a training example for two epochs straight, and for one epoch then --resume to two, and
# requires the same metrics (all columns but the last, epoch_s) from both: a resumed run repeats
# the uninterrupted one bit for bit.
# cmake -DEXE=path -DARGS="--limit;256" -DWORK=dir -P resume_matches.cmake
file(REMOVE_RECURSE ${WORK})
foreach(run straight resumed)
  set(epochs 2)
  if(run STREQUAL resumed)
    set(epochs 1)
  endif()
  execute_process(COMMAND ${EXE} ${ARGS} --epochs ${epochs} --out ${WORK}/${run} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${run} run failed (${rc}):\n${out}\n${err}")
  endif()
endforeach()
execute_process(COMMAND ${EXE} ${ARGS} --epochs 2 --resume --out ${WORK}/resumed RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "resumed from .* after epoch 1")
  message(FATAL_ERROR "resumed run failed (${rc}):\n${out}\n${err}")
endif()
foreach(run straight resumed)
  file(STRINGS ${WORK}/${run}/metrics.csv lines)
  set(${run} "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE ",[^,]*$" "" line "${line}")
    list(APPEND ${run} "${line}")
  endforeach()
endforeach()
list(LENGTH straight n)
if(NOT n EQUAL 3 OR NOT "${straight}" STREQUAL "${resumed}")
  message(FATAL_ERROR "metrics differ:\nstraight: ${straight}\nresumed:  ${resumed}")
endif()
message(STATUS "two epochs straight and one + resumed one agree: ${straight}")
