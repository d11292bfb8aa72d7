# SPDX-License-Identifier: Apache-2.0
# Trains the VGG example briefly, renders its report.html with headless Chromium to a PNG, and
# requires the picture not to be blank. Without Chromium (scripts/install_deps.sh --browser) the
# test says so and CTest counts it as skipped.
# cmake -DEXE=vgg -DCHECK=png_not_blank -DCHROMIUM=path-or-empty -DWORK=dir -P report_renders.cmake
if(NOT CHROMIUM)
  message("chromium is not installed (scripts/install_deps.sh --browser installs it): skipped")
  return()
endif()
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${EXE} --epochs 1 --limit 300 --batch-size 50 --out ${WORK} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${WORK}/report.html)
  message(FATAL_ERROR "the training run failed (${rc}) or wrote no report.html:\n${out}\n${err}")
endif()
# A fresh profile directory, so a user's running Chromium is not reused.
execute_process(COMMAND ${CHROMIUM} --headless --disable-gpu --no-sandbox --hide-scrollbars
                        --user-data-dir=${WORK}/chromium-profile --window-size=1300,2400
                        --screenshot=${WORK}/report.png file://${WORK}/report.html
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0 OR NOT EXISTS ${WORK}/report.png)
  message(FATAL_ERROR "chromium could not render report.html (${rc}):\n${out}\n${err}")
endif()
execute_process(COMMAND ${CHECK} ${WORK}/report.png RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the rendered report is blank")
endif()
