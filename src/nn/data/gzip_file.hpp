#pragma once
// A file that may or may not be gzip-compressed, read as its uncompressed bytes. zlib decides by
// the first bytes (the gzip magic 1f 8b), not by the name: "x.gz" that is plain and "x" that is
// gzipped both read correctly, as do the Debian and npm copies of the datasets.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace codse::nn {

class GzipFile {
 public:
  /// Throws InputError naming the path when it is missing, a directory or unreadable.
  explicit GzipFile(std::filesystem::path path);
  ~GzipFile();
  GzipFile(const GzipFile&) = delete;
  GzipFile& operator=(const GzipFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// True when the file is gzip data, false when it is read as it is.
  bool compressed() const { return compressed_; }

  /// Fills `buffer` with the next bytes; returns fewer than buffer.size() only at the end of the
  /// data. Throws InputError naming the file when the gzip data is truncated or corrupt.
  std::size_t read(std::span<std::uint8_t> buffer);
  /// Every byte not read yet.
  std::vector<std::uint8_t> read_rest();

 private:
  std::filesystem::path path_;
  void* file_ = nullptr;  // gzFile, kept opaque so that users need no zlib header
  bool compressed_ = false;
};

/// The whole uncompressed content of a file, gzipped or not.
std::vector<std::uint8_t> read_maybe_gzipped(const std::filesystem::path& path);

/// The first existing file among `dir/name` and `dir/name.gz`, trying the names in order; an
/// empty path when there is none.
std::filesystem::path find_data_file(const std::filesystem::path& dir, std::span<const char* const> names);

}  // namespace codse::nn
