# SPDX-License-Identifier: Apache-2.0
# ATROUS_SANITIZE=address,undefined (or thread) instruments the library and everything linked to it.
function(atrous_sanitize target)
  if(ATROUS_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=${ATROUS_SANITIZE} -fno-omit-frame-pointer
                           -fno-sanitize-recover=all)
    target_link_options(${target} PUBLIC -fsanitize=${ATROUS_SANITIZE})
  endif()
endfunction()
