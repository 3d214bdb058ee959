#include "nn/data/gzip_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::nn {
namespace {

gzFile as_gz(void* file) { return static_cast<gzFile>(file); }

}  // namespace

GzipFile::GzipFile(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code error;
  if (!std::filesystem::exists(path_, error))
    throw InputError(fmt::format("{}: no such file", path_.string()));
  if (std::filesystem::is_directory(path_, error))
    throw InputError(fmt::format("{}: is a directory, expected a data file", path_.string()));
  file_ = gzopen(path_.c_str(), "rb");
  if (file_ == nullptr) throw InputError(fmt::format("{}: cannot open (unreadable)", path_.string()));
  // A large buffer: the datasets are tens of megabytes and zlib's default 8 KiB costs syscalls.
  gzbuffer(as_gz(file_), 1U << 18);
  compressed_ = gzdirect(as_gz(file_)) == 0;
}

GzipFile::~GzipFile() {
  if (file_ != nullptr) gzclose(as_gz(file_));
}

std::size_t GzipFile::read(std::span<std::uint8_t> buffer) {
  std::size_t total = 0;
  while (total < buffer.size()) {
    // gzread takes an unsigned count and returns an int: read in pieces below INT_MAX.
    const auto want = static_cast<unsigned>(std::min<std::size_t>(buffer.size() - total, 1U << 30));
    const int got = gzread(as_gz(file_), buffer.data() + total, want);
    int code = Z_OK;
    const char* message = gzerror(as_gz(file_), &code);
    // zlib reports a gzip stream that ends early as Z_BUF_ERROR while still returning the bytes
    // it decoded, so the error state has to be checked after every read, not only got < 0.
    if (got < 0 || code != Z_OK) {
      if (code == Z_BUF_ERROR)
        throw InputError(fmt::format(
            "{}: gzip data is truncated (the file ends inside the compressed stream)", path_.string()));
      throw InputError(
          fmt::format("{}: cannot read {} data: {}", path_.string(), compressed_ ? "gzip" : "file", message));
    }
    if (got == 0) break;
    total += static_cast<std::size_t>(got);
  }
  return total;
}

std::vector<std::uint8_t> GzipFile::read_rest() {
  std::vector<std::uint8_t> bytes;
  std::size_t size = 0;
  std::size_t chunk = 1U << 20;
  while (true) {
    bytes.resize(size + chunk);
    const auto got = read(std::span(bytes).subspan(size, chunk));
    size += got;
    if (got < chunk) break;
    chunk = std::min<std::size_t>(chunk * 2, 1U << 26);
  }
  bytes.resize(size);
  return bytes;
}

std::vector<std::uint8_t> read_maybe_gzipped(const std::filesystem::path& path) {
  GzipFile file(path);
  return file.read_rest();
}

std::filesystem::path find_data_file(const std::filesystem::path& dir, std::span<const char* const> names) {
  std::error_code error;
  for (const char* name : names)
    for (const char* suffix : {"", ".gz"}) {
      auto candidate = dir / (std::string(name) + suffix);
      if (std::filesystem::is_regular_file(candidate, error)) return candidate;
    }
  return {};
}

}  // namespace codse::nn
