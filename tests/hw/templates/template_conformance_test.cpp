// One suite run over every registered accelerator template (as Optuna runs one suite over every
// sampler): what the rest of codse assumes of a template holds for each, so a new template that
// passes it works with mapping files, mapping spaces, the estimator, the HAL and the RTL.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/error.hpp"
#include "hw/estimate/mapping_check.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/hw_test_support.hpp"
#include "hw/map/hal.hpp"
#include "hw/map/mapping_space.hpp"
#include "hw/templates/mapping_file.hpp"
#include "hw/templates/template_registry.hpp"

namespace codse::hw {
namespace {

using testing::builtin_device;
using testing::example_network;

std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const auto* accelerator : accelerator_templates()) names.emplace_back(accelerator->name());
  return names;
}

class TemplateConformance : public ::testing::TestWithParam<std::string> {
 protected:
  const AcceleratorTemplate& plugin() const { return accelerator_template(GetParam()); }
};

TEST_P(TemplateConformance, NamesAreUniqueAndFoundUnderEverySpelling) {
  EXPECT_EQ(find_accelerator_template(plugin().name()), &plugin());
  for (const auto former : plugin().former_names()) EXPECT_EQ(find_accelerator_template(former), &plugin()) << former;
  std::set<std::string_view> spellings;
  for (const auto* other : accelerator_templates()) {
    EXPECT_TRUE(spellings.insert(other->name()).second) << other->name();
    for (const auto former : other->former_names()) EXPECT_TRUE(spellings.insert(former).second) << former;
  }
  EXPECT_FALSE(plugin().description().empty());
  EXPECT_THROW(accelerator_template("no such template"), InputError);
}

TEST_P(TemplateConformance, EveryLegalKnobValueIsValidAndFoldsTheRtlUnit) {
  // Dense layers, a convolution and a skip connection.
  for (const char* name : {"mnist_mlp_w4a4", "fmnist_cnn_w4a4", "mnist_resmlp_w4a4"}) {
    const Workload workload(example_network(name));
    const auto fields = plugin().parallelism_fields();
    ASSERT_FALSE(fields.empty());
    for (std::size_t i = 0; i < workload.weight_units().size(); ++i) {
      const Unit& unit = workload.weight_unit(i);
      const auto values = plugin().parallelism_values(unit);
      ASSERT_EQ(values.size(), fields.size()) << name;
      const std::int64_t simd_divides = unit.is_conv ? unit.in_channels : unit.mw;
      for (std::size_t k = 0; k < fields.size(); ++k) {
        ASSERT_FALSE(values[k].empty()) << unit.name << "." << fields[k].name;
        EXPECT_TRUE(std::is_sorted(values[k].begin(), values[k].end())) << unit.name << "." << fields[k].name;
        for (const int value : values[k]) {
          LayerMapping layer;
          layer.layer = unit.name;
          layer.*fields[k].field = value;
          EXPECT_EQ(plugin().why_invalid(unit, layer), "") << unit.name << "." << fields[k].name << " " << value;
          const MvauFolding folding = plugin().rtl_folding(layer, unit.mh, unit.mw, simd_divides);
          EXPECT_EQ(unit.mh % folding.pe, 0) << unit.name << " pe " << folding.pe;
          EXPECT_EQ(simd_divides % folding.simd, 0) << unit.name << " simd " << folding.simd;
        }
      }
    }
  }
}

TEST_P(TemplateConformance, MappingsOfItsSpaceEstimateAndRoundTripThroughTheFile) {
  const auto network = example_network("mnist_mlp_w4a4");
  const auto& device = builtin_device("XC7Z020");
  const Estimator estimator(network, device);
  SpaceOptions options;
  options.accelerator = GetParam();
  const MappingSpace space(estimator.workload(), device, options);
  for (std::size_t index : {std::size_t{0}, std::size_t{12345}, std::size_t{987654321}}) {
    const auto mapping = space.decode(space.space().decode(index % static_cast<std::size_t>(space.size())));
    EXPECT_EQ(mapping.accelerator, plugin().name());
    EXPECT_EQ(why_invalid(estimator.workload(), mapping, device), "");
    const auto estimate = estimator.estimate(mapping);
    EXPECT_EQ(estimate.accelerator, plugin().name());
    EXPECT_GT(estimate.total.lut, 0.0);
    EXPECT_GT(estimate.ii_cycles, 0);
    const auto text = mapping_json_text(mapping);
    EXPECT_EQ(parse_mapping(text, "round trip"), mapping) << text;
    EXPECT_EQ(space.encode(parse_mapping(text, "round trip")), space.space().decode(index % static_cast<std::size_t>(space.size())));
  }
}

TEST_P(TemplateConformance, ItsDefaultStoragesAreSupportedAndItsSeedsAreValid) {
  const auto network = example_network("mnist_mlp_w4a4");
  for (const char* device_name : {"XC7Z020", "iCE40UP5K", "XCZU7EV"}) {
    const auto& device = builtin_device(device_name);
    const auto storages = plugin().default_storages(device);
    ASSERT_FALSE(storages.empty()) << device_name;
    for (const auto storage : storages) EXPECT_EQ(plugin().why_unsupported(storage), "") << to_string(storage);
    const Estimator estimator(network, device);
    SeedOptions seeding;
    seeding.storage = storages.front();
    seeding.clock_mhz = device.default_clock_mhz;
    for (const auto& seed : plugin().seed_mappings(estimator.workload(), device, seeding)) {
      EXPECT_EQ(seed.accelerator, plugin().name());
      EXPECT_EQ(why_invalid(estimator.workload(), seed, device), "") << device_name;
    }
  }
}

TEST_P(TemplateConformance, TheHalFindsAFrontOnItsSpace) {
  const auto network = example_network("mnist_mlp_w4a4");
  MapOptions options;
  options.spaces = {SpaceOptions{}};
  options.spaces.front().accelerator = GetParam();
  const auto result = map_network(Estimator(network, builtin_device("XC7Z020")),
                                  {Objective::parse("lut:min"), Objective::parse("fps:max")}, {}, options);
  ASSERT_FALSE(result.front.empty());
  for (const auto& point : result.front) {
    EXPECT_EQ(point.mapping.accelerator, plugin().name());
    EXPECT_TRUE(point.estimate.fits);
  }
}

INSTANTIATE_TEST_SUITE_P(Templates, TemplateConformance, ::testing::ValuesIn(template_names()),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

}  // namespace
}  // namespace codse::hw
