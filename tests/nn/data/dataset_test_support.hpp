#pragma once
// Helpers of the dataset tests: small IDX / CIFAR / gzip files written byte by byte, and a check
// that a call throws InputError with a message naming what it should.

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace codse::nn::testing {

using Bytes = std::vector<std::uint8_t>;

inline void append_big_endian(Bytes& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
}

/// An IDX file: magic, dims, then data as given (so a test can make it short or long).
inline Bytes idx_bytes(std::uint32_t magic, std::initializer_list<std::uint32_t> dims, const Bytes& data) {
  Bytes bytes;
  append_big_endian(bytes, magic);
  for (auto dim : dims) append_big_endian(bytes, dim);
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

inline std::filesystem::path write_bytes(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path;
}

/// Writes bytes gzip-compressed with zlib, whatever the file's name.
inline std::filesystem::path write_gzipped(const std::filesystem::path& path, const Bytes& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
  return path;
}

inline Bytes read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

/// Expects `call` to throw InputError whose message contains every one of `parts`.
inline void expect_input_error(const std::function<void()>& call, std::initializer_list<std::string> parts) {
  try {
    call();
    ADD_FAILURE() << "no InputError thrown";
  } catch (const InputError& error) {
    const std::string message = error.what();
    for (const auto& part : parts)
      EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  }
}

}  // namespace codse::nn::testing
