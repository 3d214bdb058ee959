#pragma once
// The ONNX fixtures of the tests, written at test time by make_onnx_fixtures.py with Debian's
// /usr/bin/python3 (python3-torch, python3-onnx) into a temporary directory, once per test binary.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace codse::testing {

inline const std::filesystem::path& onnx_mnist_dir() {
  static const std::filesystem::path dir = std::filesystem::path(CODSE_SHARED_DATA_DIR) / "mnist";
  return dir;
}

/// Runs the generator in `what` mode ("models" or "bad") and returns the directory, empty when the
/// script failed (the caller's ASSERT reports it). ctest runs every test in its own process: the
/// fixtures are kept in a directory named after the script's size and time, written under a
/// temporary name and renamed when complete, so they are made once and never seen half-written.
inline std::filesystem::path onnx_fixtures(const std::string& what) {
  const std::filesystem::path script = std::string(CODSE_SOURCE_DIR) + "/tests/nn/onnx/make_onnx_fixtures.py";
  const auto stamp = std::to_string(std::filesystem::file_size(script)) + "_" +
                     std::to_string(std::filesystem::last_write_time(script).time_since_epoch().count());
  const auto dir = std::filesystem::temp_directory_path() / ("codse_onnx_fixtures_" + what + "_" + stamp);
  if (std::filesystem::exists(dir)) return dir;
  const auto partial = dir.string() + ".partial" + std::to_string(static_cast<long>(::getpid()));
  std::filesystem::create_directories(partial);
  const std::string command = "timeout 300 /usr/bin/python3 " + script.string() + " " + onnx_mnist_dir().string() +
                              " " + partial + " " + what;
  if (std::system(command.c_str()) != 0) return {};
  std::error_code error;
  std::filesystem::rename(partial, dir, error);  // another process may have finished first: use its copy
  if (error) std::filesystem::remove_all(partial, error);
  return dir;
}

template <typename T>
std::vector<T> read_binary(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<T> values(std::filesystem::file_size(path) / sizeof(T));
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
  return values;
}

/// Runs python's onnx.checker.check_model on a file; true when it passes.
inline bool onnx_checker_passes(const std::filesystem::path& file) {
  const std::string command = "timeout 60 /usr/bin/python3 -c \"import onnx, sys; "
                              "onnx.checker.check_model(onnx.load(sys.argv[1]))\" " + file.string();
  return std::system(command.c_str()) == 0;
}

}  // namespace codse::testing
