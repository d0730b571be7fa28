# The studies on NP processes write the same files as padsim on one thread, byte for byte (every
# process receives the whole merged batches; the root writes): compare.csv, sweep.csv and
# calibrate.csv; and bad input is status 2 with nothing written.
#
#   cmake -DMPIEXEC=... "-DMPIEXEC_FLAGS=..." -DNP=2 -DRUNS=300 -DPADSIM=... -DPADSIM_MPI=...
#         -DSCENARIO=... -DWORK=... -P mpi_studies_match_single.cmake
foreach(var MPIEXEC NP RUNS PADSIM PADSIM_MPI SCENARIO WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "mpi_studies_match_single.cmake: -D${var}= is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(compare_args compare ${SCENARIO} --set-b repair.site31-cabin.scale=1.5 --runs ${RUNS} --seed 7
    --bootstrap 100 -q)

execute_process(
  COMMAND ${MPIEXEC} ${MPIEXEC_FLAGS} -np ${NP} ${PADSIM_MPI} ${compare_args} --out ${WORK}/mpi
  OUTPUT_QUIET RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "padsim-mpi compare on ${NP} processes failed with status ${status}")
endif()
execute_process(
  COMMAND ${PADSIM} ${compare_args} -j1 --out ${WORK}/single
  OUTPUT_QUIET RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "padsim compare failed with status ${status}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/mpi/compare.csv
                        ${WORK}/single/compare.csv
                RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  message(FATAL_ERROR "compare.csv differs between padsim-mpi (-np ${NP}) and padsim -j1 (${WORK})")
endif()
if(NOT EXISTS ${WORK}/mpi/compare.json)
  message(FATAL_ERROR "padsim-mpi compare wrote no compare.json")
endif()

execute_process(
  COMMAND ${MPIEXEC} ${MPIEXEC_FLAGS} -np ${NP} ${PADSIM_MPI} compare ${SCENARIO} --runs auto
          --out ${WORK}/auto -q
  RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_QUIET)
if(NOT status EQUAL 2 OR NOT stderr MATCHES "--runs auto is not supported by compare"
   OR EXISTS ${WORK}/auto)
  message(FATAL_ERROR "padsim-mpi compare --runs auto: expected status 2, a message and no output; "
                      "got status ${status}:\n${stderr}")
endif()
# A study on NP processes and on one thread: FILE must be the same bytes.
function(check_study name file)
  execute_process(
    COMMAND ${MPIEXEC} ${MPIEXEC_FLAGS} -np ${NP} ${PADSIM_MPI} ${ARGN} --out ${WORK}/${name}-mpi
    OUTPUT_QUIET RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "padsim-mpi ${name} on ${NP} processes failed with status ${status}")
  endif()
  execute_process(COMMAND ${PADSIM} ${ARGN} -j1 --out ${WORK}/${name}-single
                  OUTPUT_QUIET RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "padsim ${name} failed with status ${status}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/${name}-mpi/${file}
                          ${WORK}/${name}-single/${file}
                  RESULT_VARIABLE differ)
  if(NOT differ EQUAL 0)
    message(FATAL_ERROR "${file} differs between padsim-mpi (-np ${NP}) and padsim -j1 (${WORK})")
  endif()
endfunction()

check_study(sweep sweep.csv sweep ${SCENARIO} --vary repair.site31-cabin.scale=0.5,1,2
            --outcome pad_ready_day --runs ${RUNS} --seed 7 -q)
check_study(calibrate calibrate.csv calibrate ${SCENARIO} --param repair.site31-cabin.scale
            --target pad_ready_day:p50=120 --runs ${RUNS} --seed 7 -q)

execute_process(
  COMMAND ${MPIEXEC} ${MPIEXEC_FLAGS} -np ${NP} ${PADSIM_MPI} sweep ${SCENARIO}
          --vary repair.site31-cabin.scale=1,2 --runs auto --out ${WORK}/sweep-auto -q
  RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_QUIET)
if(NOT status EQUAL 2 OR NOT stderr MATCHES "--runs auto is not supported" OR EXISTS ${WORK}/sweep-auto)
  message(FATAL_ERROR "padsim-mpi sweep --runs auto: expected status 2, a message and no output; "
                      "got status ${status}:\n${stderr}")
endif()

message(STATUS "padsim-mpi compare, sweep and calibrate -np ${NP} --runs ${RUNS}: "
               "files identical to padsim -j1")
