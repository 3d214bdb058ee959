#include <gtest/gtest.h>

#include "core/error.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/cost/memory_cost.hpp"
#include "support/temp_dir.hpp"

namespace codse::hw {
namespace {

TEST(DeviceCatalog, BuiltinHasTheSixDevicesWithDataSheetNumbers) {
  const auto catalog = DeviceCatalog::builtin();
  for (const char* name : {"XC7Z020", "XC7Z045", "XCZU7EV", "AlveoU250", "iCE40UP5K", "ECP5-85F"})
    EXPECT_NO_THROW(catalog.find(name)) << name;
  const auto& z7020 = catalog.find("xc7z020");  // case-insensitive
  EXPECT_EQ(z7020.lut, 53200);
  EXPECT_EQ(z7020.ff, 106400);
  EXPECT_EQ(z7020.dsp.count, 220);
  EXPECT_EQ(z7020.dsp.a_bits, 25);
  EXPECT_EQ(z7020.dsp.b_bits, 18);
  EXPECT_EQ(z7020.bram.count, 280);
  EXPECT_EQ(z7020.bram.shapes.size(), 6u);
  EXPECT_FALSE(z7020.uram.present());
  EXPECT_FALSE(z7020.sources.empty());
  const auto& zu7 = catalog.find("XCZU7EV");
  EXPECT_EQ(zu7.dsp.a_bits, 27);
  EXPECT_EQ(zu7.uram.count, 96);
  const auto& up5k = catalog.find("iCE40UP5K");
  EXPECT_EQ(up5k.lut_inputs, 4);
  EXPECT_EQ(up5k.dsp.a_bits, 16);
  EXPECT_EQ(up5k.uram.count, 4);  // SPRAM
  EXPECT_EQ(up5k.uram.shapes[0].depth * up5k.uram.shapes[0].width, 256 * 1024);
  EXPECT_FALSE(up5k.has_offchip_memory());
  EXPECT_EQ(up5k.lutram_depth, 0);
  const auto& ecp5 = catalog.find("ECP5-85F");
  EXPECT_EQ(ecp5.dsp.a_bits, 18);
  EXPECT_EQ(ecp5.bram.count, 208);
}

TEST(DeviceCatalog, UnknownDeviceListsTheKnownOnes) {
  try {
    DeviceCatalog::builtin().find("XC9Z999");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown device 'XC9Z999'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("XCZU7EV"), std::string::npos) << e.what();
  }
}

const char* one_device = R"({"devices": [{
  "name": "MyBoard", "lut": 1000, "ff": 2000, "lut_inputs": 6, "lutram_depth": 64, "lutram_luts": 300,
  "dsp": {"name": "DSP48E1", "count": 4, "a_bits": 25, "b_bits": 18},
  "bram": {"name": "RAMB18E1", "count": 8, "shapes": [[512, 36], [1024, 18]]},
  "uram": {"name": "none", "count": 0, "shapes": []},
  "max_clock_mhz": 200, "default_clock_mhz": 100, "offchip_gbps": 0, "static_power_w": 0.05,
  "power": {"lut_uw_per_mhz": 0.1, "ff_uw_per_mhz": 0.02, "dsp_uw_per_mhz": 3, "bram_uw_per_mhz": 5,
            "uram_uw_per_mhz": 0, "toggle_rate": 0.125}}]})";

TEST(DeviceCatalog, UserFileExtendsAndOverrides) {
  codse::testing::TempDir dir;
  const auto path = dir.write("mine.json", one_device);
  auto catalog = DeviceCatalog::builtin();
  const auto before = catalog.devices().size();
  catalog.extend(DeviceCatalog::load(path.string()));
  EXPECT_EQ(catalog.devices().size(), before + 1);
  EXPECT_EQ(catalog.find("MyBoard").lut, 1000);
  std::string renamed = one_device;
  renamed.replace(renamed.find("MyBoard"), 7, "XC7Z020");
  catalog.extend(DeviceCatalog::parse(renamed, "override.json"));
  EXPECT_EQ(catalog.devices().size(), before + 1);
  EXPECT_EQ(catalog.find("XC7Z020").lut, 1000);
}

TEST(DeviceCatalog, MissingFieldNamesFileDeviceAndField) {
  std::string text = one_device;
  text.erase(text.find("\"ff\": 2000, "), 12);
  try {
    DeviceCatalog::parse(text, "boards.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "boards.json: device MyBoard: missing field 'ff'");
  }
  std::string nested = one_device;
  nested.erase(nested.find("\"b_bits\": 18"), 12);
  nested.replace(nested.find("\"a_bits\": 25,"), 13, "\"a_bits\": 25");
  try {
    DeviceCatalog::parse(nested, "boards.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "boards.json: device MyBoard: missing field 'dsp.b_bits'");
  }
}

TEST(DeviceCatalog, MalformedValuesAreRejected) {
  std::string text = one_device;
  text.replace(text.find("\"lut\": 1000"), 11, "\"lut\": \"many\"");
  EXPECT_THROW(DeviceCatalog::parse(text, "x.json"), InputError);
  EXPECT_THROW(DeviceCatalog::parse("{\"devices\": 3}", "x.json"), InputError);
  EXPECT_THROW(DeviceCatalog::parse("not json", "x.json"), InputError);
  EXPECT_THROW(DeviceCatalog::load("/nonexistent/devices.json"), InputError);
}

TEST(DeviceCatalog, IntegersAreRangeCheckedAndKeysUnique) {
  const auto message = [](const std::string& from, const std::string& to) {
    std::string text = one_device;
    text.replace(text.find(from), from.size(), to);
    try {
      DeviceCatalog::parse(text, "boards.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // 2^64 - 1 would read as -1 and 2^32 + 25 as 25 through get<>.
  EXPECT_EQ(message("\"lut\": 1000", "\"lut\": 18446744073709551615"),
            "boards.json: device MyBoard: field 'lut': 18446744073709551615 is out of range (1 to 1099511627776)");
  EXPECT_EQ(message("\"a_bits\": 25", "\"a_bits\": 4294967321"),
            "boards.json: device MyBoard: field 'dsp.a_bits': 4294967321 is out of range (1 to 1048576)");
  EXPECT_EQ(message("\"lut\": 1000", "\"lut\": 1000, \"lut\": 10"), "boards.json: the key 'lut' appears twice in one object");
}

// Rows of blocks in depth, of the shape that needs fewest blocks: what a deep memory's read mux selects among.
TEST(MemoryCost, RowsAreTheBestShapesBlocksInDepth) {
  const auto catalog = DeviceCatalog::builtin();
  const auto& bram = catalog.find("XC7Z020").bram;
  EXPECT_EQ(block_rows(bram, 512, 32), 1);     // one 512 x 36
  EXPECT_EQ(block_rows(bram, 2304, 32), 5);    // 5 x 512 x 36 (CNV conv4's 4 PEs each, Yosys: 5 RAMB18)
  EXPECT_EQ(block_rows(bram, 4608, 32), 9);    // 9 x 512 x 36 (Yosys: 4 RAMB36 and a mux of 101 LUTs)
  EXPECT_EQ(block_rows(bram, 16384, 8), 1);    // 8 x 16384 x 1, not 8 x 2048 x 9 (Yosys: no mux)
  EXPECT_EQ(block_rows(bram, 4096, 32), 1);    // 8 x 4096 x 4, not 8 x 512 x 36 (Yosys: no mux)
  EXPECT_EQ(block_rows(bram, 512, 64), 1);     // two 512 x 36 side by side
  EXPECT_EQ(block_rows(bram, 2048, 4), 1);     // one 4096 x 4
  EXPECT_EQ(block_rows(bram, 0, 32), 0);
}

TEST(MemoryCost, BlocksUseTheBestShape) {
  const auto catalog = DeviceCatalog::builtin();
  const auto& bram = catalog.find("XC7Z020").bram;
  EXPECT_EQ(blocks_needed(bram, 512, 36), 1);
  EXPECT_EQ(blocks_needed(bram, 512, 37), 2);
  EXPECT_EQ(blocks_needed(bram, 1024, 18), 1);
  EXPECT_EQ(blocks_needed(bram, 16384, 1), 1);
  EXPECT_EQ(blocks_needed(bram, 2048, 10), 2);   // 2Kx9 twice or 1Kx18 twice
  EXPECT_EQ(blocks_needed(bram, 1024, 40), 3);   // 1Kx18 x 3 beats 512x36 x 4
  EXPECT_EQ(blocks_needed(bram, 0, 40), 0);
  const auto& ebr = catalog.find("iCE40UP5K").bram;  // 4 Kbit EBR
  EXPECT_EQ(blocks_needed(ebr, 256, 16), 1);
  EXPECT_EQ(blocks_needed(ebr, 512, 16), 2);
  EXPECT_EQ(blocks_needed(ebr, 4096, 1), 2);  // 2048x2 holds 2048 entries
  EXPECT_EQ(lut_memory_luts(64, 8, 64), 8);
  EXPECT_EQ(lut_memory_luts(65, 8, 64), 16);
  EXPECT_EQ(lut_memory_luts(65, 8, 16), 40);
}

}  // namespace
}  // namespace codse::hw
