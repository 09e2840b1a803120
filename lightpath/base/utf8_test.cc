#include "lightpath/base/utf8.h"

#include <gtest/gtest.h>

namespace lightpath {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(isValidUtf8("Zürich – 東京 🚀"));
  EXPECT_TRUE(isValidUtf8(""));
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(isValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(isValidUtf8("Z\xFCrich"));         // Latin-1
}

TEST(Utf8, ConvertsLatin1) {
  EXPECT_EQ(latin1ToUtf8("Z\xFCrich"), "Zürich");
  EXPECT_TRUE(isValidUtf8(latin1ToUtf8("\xFF\x80\x41")));
}

}  // namespace
}  // namespace lightpath
