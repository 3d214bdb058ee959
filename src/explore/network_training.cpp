#include "explore/network_training.hpp"

#include <random>

#include "explore/config_fields.hpp"
#include "explore/trial_seed.hpp"
#include "nn/morph/morphism.hpp"
#include "nn/train/trainer.hpp"

namespace codse::explore {
namespace {

nn::LabeledSamples samples(const nn::Dataset& data) { return {data.features(), data.labels()}; }

}  // namespace

/// The training section: the starting networks' settings; children inherit them and may mutate the
/// learning rate, epochs and batch size (the candidate's hyperparameters).
ConfigSection training_section() {
  using C = ExploreConfig;
  using T = nn::TrainOptions;
  const auto optimizer = [](const ConfigReader& r, const YAML::Node& node, const std::string& key) {
    return nn::optimizer_from_string(r.text(node, key), key);
  };
  const auto schedule = [](const ConfigReader& r, const YAML::Node& node, const std::string& key) {
    return nn::schedule_from_string(r.text(node, key), key);
  };
  return {"training",
          {field("training.epochs", at(&C::training, &T::epochs), integer<int>(1, 1000), InIdentity::always,
                 defaults_to(2)),
           field("training.batch_size", at(&C::training, &T::batch_size), integer<int>(1, 1 << 16), InIdentity::always),
           field("training.learning_rate", at(&C::training, &T::learning_rate), number(1e-8, 10.0), InIdentity::always),
           field("training.optimizer", at(&C::training, &T::optimizer), optimizer, InIdentity::always, {},
                 [](const nn::Optimizer& o) { return nlohmann::json(nn::to_string(o)); }),
           field("training.schedule", at(&C::training, &T::schedule), schedule, InIdentity::unless_default,
                 {}, [](const nn::LearningRateSchedule& s) { return nlohmann::json(nn::to_string(s)); }),
           field("training.threads", at(&C::training, &T::threads), integer<int>(1, 256), InIdentity::always,
                 defaults_to(1)),
           field("training.weight_decay", at(&C::training, &T::weight_decay), number(0.0, 1.0),
                 InIdentity::unless_default),
           field("training.patience", at(&C::training, &T::patience), integer<int>(0, 1000),
                 InIdentity::unless_default)}};
}

nn::TrainOptions training_options(const ExploreConfig& config, const NetworkCandidate& candidate) {
  nn::TrainOptions options = config.training;
  options.learning_rate = candidate.hyper.learning_rate;
  options.epochs = candidate.hyper.epochs;
  options.batch_size = candidate.hyper.batch_size;
  options.seed = trial_seed(config.seed, candidate.id);
  return options;
}

TrainedNetwork train_candidate(const ExploreContext& context, const NetworkCandidate& candidate,
                               const NetworkCandidate* parent) {
  nn::WeightedNetwork start{candidate.network, {}};
  if (parent) {
    const nn::WeightedNetwork inherited{parent->network, context.files.load_weights(parent->id)};
    if (candidate.morphism) {
      std::mt19937_64 rng(candidate.morphism_seed);
      start = nn::apply_morphism(inherited, *candidate.morphism, rng);
    } else {
      start = inherited;
    }
  }
  const auto options = training_options(context.config, candidate);
  const auto& data = *context.data;
  const auto result = nn::train(start.network, samples(data.train), samples(data.validation), options,
                                parent ? &start.weights : nullptr);
  return {start.network, result.weights, result.validation_accuracy, result.seconds,
          static_cast<int>(result.history.size())};
}

}  // namespace codse::explore
