// SHA-256 of the content hash against the FIPS 180-2 examples.
#include <gtest/gtest.h>

#include "core/content_hash.hpp"

namespace codse {
namespace {

TEST(ContentHash, KnownSha256Digests) {
  ContentHash empty;
  EXPECT_EQ(empty.hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  ContentHash abc;
  abc.update("abc");
  EXPECT_EQ(abc.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // FIPS 180-2 appendix B.2: two blocks.
  ContentHash two_blocks;
  two_blocks.update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(two_blocks.hex(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(ContentHash, FieldsAreFramedByTheirLength) {
  ContentHash ab_c, a_bc;
  ab_c.add_field("ab");
  ab_c.add_field("c");
  a_bc.add_field("a");
  a_bc.add_field("bc");
  EXPECT_NE(ab_c.hex(), a_bc.hex());
}

}  // namespace
}  // namespace codse
