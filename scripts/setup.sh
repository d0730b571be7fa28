#!/usr/bin/env bash
# Installs everything padsim needs to build, test and plot, from Debian 12 packages by name.
# Idempotent: installs only what is missing, and runs `apt-get update` only when it must install.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config   # toolchain (g++ 12, cmake 3.25)
  clang libclang-rt-14-dev                       # the asan and tsan presets: clang 14, its sanitizers and libFuzzer
  libboost-dev                                   # Boost headers: Graph, Random, Math
  libeigen3-dev                                  # Gaussian copula, nearest correlation matrix
  libspdlog-dev libfmt-dev                       # logging
  libtomlplusplus-dev                            # scenario files
  libpugixml-dev                                 # padsim import: MS Project XML (MSPDI) schedules
  libcli11-dev                                   # command line
  doctest-dev                                    # tests
  libbenchmark-dev                               # padsim_bench
  libopenmpi-dev openmpi-bin                     # padsim-mpi (PADSIM_MPI): batches over MPI processes
  python3                                        # tests: result files read back with Python's csv module
  python3-pandas python3-matplotlib              # charts and report (scripts/plot.sh, report.sh; their ctest)
  pybind11-dev python3-pybind11 python3-numpy    # the Python module padsim (app/python), for /usr/bin/python3
  python3-pytest                                 # its tests (tests/python, run by scripts/test.sh release)
  chromium                                       # their ctest: a headless screenshot of report.html
  bsdextrautils                                  # `column`, used by the README's first hour
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
sudo=""
if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
echo "padsim setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
