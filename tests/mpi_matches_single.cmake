# padsim-mpi on NP processes writes the same files as padsim on one thread, byte for byte, with exact
# statistics and with --bounded-memory, in one block and in several (run.json
# aside: its processes, threads, wall time and command line differ), and rejects --runs auto as bad
# input (status 2, nothing written).
#
#   cmake -DMPIEXEC=... "-DMPIEXEC_FLAGS=..." -DNP=2 -DRUNS=600 -DPADSIM=... -DPADSIM_MPI=...
#         -DSCENARIO=... -DWORK=... -P mpi_matches_single.cmake
foreach(var MPIEXEC NP RUNS PADSIM PADSIM_MPI SCENARIO WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "mpi_matches_single.cmake: -D${var}= is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# Exact statistics, then a bounded-memory batch in one block (the last ranks' slices are empty),
# then one in blocks of 100 (every rank merges statistics into the root's, and the retained
# replications end inside rank 1's slice at -np 3), then that one with --no-rows (no row files).
foreach(mode exact bounded blocks norows)
  set(flags "")
  set(files runs.csv inputs.csv)
  if(mode STREQUAL "bounded")
    set(flags --bounded-memory)
  elseif(mode STREQUAL "blocks")
    set(flags --bounded-memory --bounded-block-replications 100 --retained-runs 250)
  elseif(mode STREQUAL "norows")
    set(flags --bounded-memory --bounded-block-replications 100 --retained-runs 250 --no-rows)
    set(files "")
  endif()
  execute_process(
    COMMAND ${MPIEXEC} ${MPIEXEC_FLAGS} -np ${NP} ${PADSIM_MPI} run ${SCENARIO} --runs ${RUNS} --seed 7
            --out ${WORK}/mpi-${mode} -q ${flags}
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "padsim-mpi on ${NP} processes (${mode}) failed with status ${status}")
  endif()
  execute_process(
    COMMAND ${PADSIM} run ${SCENARIO} --runs ${RUNS} --seed 7 --out ${WORK}/single-${mode} -q -j1 ${flags}
    OUTPUT_QUIET RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "padsim run (${mode}) failed with status ${status}")
  endif()
  if(mode STREQUAL "norows" AND (EXISTS ${WORK}/mpi-${mode}/runs.csv OR EXISTS ${WORK}/mpi-${mode}/inputs.csv))
    message(FATAL_ERROR "padsim-mpi --no-rows wrote row files (${WORK}/mpi-${mode})")
  endif()
  foreach(name ${files} summary.csv tasks.csv merges.csv sensitivity.csv timeseries.csv columns.csv)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/mpi-${mode}/${name}
                            ${WORK}/single-${mode}/${name}
                    RESULT_VARIABLE differ)
    if(NOT differ EQUAL 0)
      message(FATAL_ERROR "${name} differs between padsim-mpi (-np ${NP}) and padsim -j1, ${mode} (${WORK})")
    endif()
  endforeach()
  file(READ ${WORK}/mpi-${mode}/run.json json)
  if(NOT json MATCHES "\"processes\": ${NP},")
    message(FATAL_ERROR "run.json of padsim-mpi does not say \"processes\": ${NP}:\n${json}")
  endif()
  file(GLOB leftovers ${WORK}/mpi-${mode}/.*)
  if(leftovers)
    message(FATAL_ERROR "padsim-mpi (${mode}) left files behind: ${leftovers}")
  endif()
endforeach()

execute_process(
  COMMAND ${MPIEXEC} ${MPIEXEC_FLAGS} -np ${NP} ${PADSIM_MPI} run ${SCENARIO} --runs auto
          --out ${WORK}/auto -q
  RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_QUIET)
if(NOT status EQUAL 2 OR NOT stderr MATCHES "--runs auto is not supported by padsim-mpi"
   OR EXISTS ${WORK}/auto)
  message(FATAL_ERROR "padsim-mpi --runs auto: expected status 2, a message and no output; got "
                      "status ${status}:\n${stderr}")
endif()
message(STATUS "padsim-mpi -np ${NP} --runs ${RUNS}: every CSV identical to padsim -j1, exact and bounded")
