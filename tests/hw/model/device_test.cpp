#include <gtest/gtest.h>

#include "core/error.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/cost/memory_cost.hpp"
#include "hw/model/estimate.hpp"
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

TEST(DeviceCatalog, ReadsTheLibmapOfABlockOrSaysWhatIsWrongWithIt) {
  const auto parse = [](const std::string& libmap) {
    std::string text = one_device;
    const std::string shapes = "\"shapes\": [[512, 36], [1024, 18]]}";
    text.replace(text.find(shapes), shapes.size(), "\"shapes\": [[512, 36], [1024, 18]], \"libmap\": " + libmap + "}");
    return DeviceCatalog::parse(text, "boards.json");
  };
  const auto message = [&](const std::string& libmap) {
    try {
      parse(libmap);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const auto catalog = parse(R"({"byte": 9, "logic_rom_bit_cost": 0.015625,
      "modes": [{"blocks": 1, "cost": 129, "shapes": [[512, 36]]}, {"blocks": 2, "cost": 257, "shapes": [[512, 72]]}]})");
  const auto& libmap = catalog.find("MyBoard").bram.libmap;
  ASSERT_EQ(libmap.modes.size(), 2u);
  EXPECT_EQ(libmap.byte, 9);
  EXPECT_EQ(libmap.modes[1].blocks, 2);
  EXPECT_EQ(libmap.modes[1].cost, 257);
  EXPECT_EQ(libmap.modes[1].shapes[0].width, 72);
  EXPECT_EQ(message(R"({"byte": 9, "logic_rom_bit_cost": 0.1, "modes": [{"blocks": 1, "cost": 129, "shapes": []}]})"),
            "boards.json: device MyBoard: field 'bram.libmap.modes[0].shapes': a mode needs at least one shape");
  EXPECT_EQ(message(R"({"byte": 9, "logic_rom_bit_cost": 0.1, "modes": [{"cost": 129, "shapes": [[512, 36]]}]})"),
            "boards.json: device MyBoard: missing field 'bram.libmap.modes[0].blocks'");
  EXPECT_EQ(message(R"({"byte": 9, "modes": [{"blocks": 1, "cost": 129, "shapes": [[512, 36]]}]})"),
            "boards.json: device MyBoard: missing field 'bram.libmap.logic_rom_bit_cost'");
  EXPECT_EQ(message(R"({"byte": 9, "logic_rom_bit_cost": 0.1, "modes": []})"),
            "boards.json: device MyBoard: field 'bram.libmap.modes': expected a non-empty list of modes");
  EXPECT_EQ(message("[1]"),
            "boards.json: device MyBoard: field 'bram.libmap': expected an object with byte, logic_rom_bit_cost and modes");
}

// Yosys 0.23 synth_xilinx on ROMs alone (rom_style "block"; bench/hw/RESULTS.md): the RAMB18E1
// count (a RAMB36E1 is 2) and the rows of words its read mux selects among.
TEST(MemoryCost, PacksRomsAsYosysDoes) {
  const auto catalog = DeviceCatalog::builtin();
  const auto& bram = catalog.find("XC7Z020").bram;
  using BlocksRows = std::pair<std::int64_t, std::int64_t>;
  const auto rom = [&](std::int64_t depth, std::int64_t width) {
    const Packing p = packed_memory(bram, depth, width, MemoryAccess::read_only);
    return BlocksRows{p.blocks, p.rows};
  };
  EXPECT_EQ(rom(18432, 32), BlocksRows(32, 9));  // 16 RAMB36 of 2048 x 18
  EXPECT_EQ(rom(2304, 32).first, 5);                                          // 5 RAMB18 of 512 x 36
  EXPECT_EQ(rom(4608, 32).first, 8);                                          // 4 RAMB36
  EXPECT_EQ(rom(6272, 64), BlocksRows(25, 7));   // 25 RAMB18 of 1024 x 18
  EXPECT_EQ(rom(32768, 8).first, 15);                                         // 15 RAMB18 of 2048 x 9
  for (const auto& [depth, width] : {std::pair{1024, 64}, {16384, 8}, {4096, 32}, {8192, 16}})
    EXPECT_EQ(rom(depth, width), BlocksRows(depth * width / 16384, 1)) << depth;
  EXPECT_EQ(rom(0, 32), BlocksRows(0, 0));
  // FINN's tiling, the published model, needs more for the deep ones.
  EXPECT_EQ(blocks_needed(bram, 18432, 32), 36);
  EXPECT_EQ(blocks_needed(bram, 32768, 8), 16);
}

// A written memory pads each word to the block's byte (9 bits on xc7) and pays for the write
// decode; without a libmap a block tiles as FINN's formula does.
TEST(MemoryCost, PacksWrittenMemoriesByTheByte) {
  const auto catalog = DeviceCatalog::builtin();
  const auto& bram = catalog.find("XC7Z020").bram;
  EXPECT_EQ(packed_memory(bram, 512, 32, MemoryAccess::read_only).blocks, 1);
  EXPECT_EQ(packed_memory(bram, 512, 40, MemoryAccess::read_only).blocks, 2);  // one RAMB36 at 512 x 72
  EXPECT_EQ(packed_memory(bram, 1024, 16, MemoryAccess::written).blocks, 1);   // 1024 x 18
  EXPECT_EQ(packed_memory(bram, 2048, 16, MemoryAccess::read_only).blocks, 2);
  EXPECT_EQ(packed_memory(bram, 2048, 16, MemoryAccess::written).blocks, 2);
  MemoryBlock tiled = bram;
  tiled.libmap = {};
  const Packing p = packed_memory(tiled, 18432, 32, MemoryAccess::read_only);
  EXPECT_EQ(p.blocks, blocks_needed(bram, 18432, 32));
  EXPECT_EQ(p.rows, 9);  // 9 rows of 4 blocks of 2048 x 9: as few blocks as 512 x 36, fewer rows
}

// A ROM no attribute places goes to block RAM only when that costs less than its bits in LUTs.
TEST(MemoryCost, UnplacedRomsWeighBlockRamAgainstLogic) {
  const auto catalog = DeviceCatalog::builtin();
  const auto& xc7 = catalog.find("XC7Z020");
  EXPECT_TRUE(rom_in_block_ram(xc7, 512, 24).has_value());    // cnv_w2a2 fc0's thresholds: 192 > 129
  EXPECT_FALSE(rom_in_block_ram(xc7, 512, 12).has_value());   // 96 < 129
  EXPECT_FALSE(rom_in_block_ram(xc7, 2, 72).has_value());
  EXPECT_EQ(rom_in_block_ram(xc7, 512, 24)->blocks, 1);
}

// Buffers no attribute places: LUTRAM banks against block RAM on xc7 (the corpus layers whose
// block RAM counts tell), flip-flops against EBR on iCE40, at memory_libmap's costs.
TEST(MemoryCost, UnplacedBuffersGoWhereMemoryLibmapScoresLowest) {
  const auto catalog = DeviceCatalog::builtin();
  const auto& xc7 = catalog.find("XC7Z020");
  const Resources ram32m = inferred_buffer_memory(xc7, 96, 24);  // 3 banks of 4 RAM32M: 121.5 < 129
  EXPECT_EQ(ram32m.bram18, 0);
  EXPECT_EQ(ram32m.lutram, 48);
  EXPECT_EQ(ram32m.lut, 48 + 24 + 3);
  EXPECT_EQ(inferred_buffer_memory(xc7, 98, 48).bram18, 2);  // RAM64M 281 > one RAMB36 257
  EXPECT_EQ(inferred_buffer_memory(xc7, 16, 2).bram18, 0);
  EXPECT_EQ(inferred_buffer_memory(xc7, 1024, 8).bram18, 1);
  const auto& up5k = catalog.find("iCE40UP5K");
  const Resources small = inferred_buffer_memory(up5k, 16, 2);  // 32 bits in logic < an EBR's 64
  EXPECT_EQ(small.bram18, 0);
  EXPECT_EQ(small.ff, 17 * 2);
  const Resources large = inferred_buffer_memory(up5k, 64, 8);  // 512 bits: one EBR of 512 x 8
  EXPECT_EQ(large.bram18, 1);
  EXPECT_EQ(large.ff, 8);
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
