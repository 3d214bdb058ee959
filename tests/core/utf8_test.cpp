#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace codse {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("fc1: 4 units"));
  EXPECT_TRUE(is_valid_utf8("\xc3\xa9t\xc3\xa9"));          // été
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));               // €
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));           // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xef\xbb\xbf" "bom"));         // a byte-order mark is a character
}

TEST(Utf8, RefusesMalformedText) {
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));                 // cut after the lead byte
  EXPECT_FALSE(is_valid_utf8("a\xc3" "a"));            // continuation byte missing
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));             // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));         // overlong, three bytes
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));         // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));     // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));                 // a lone continuation byte
}

}  // namespace
}  // namespace codse
