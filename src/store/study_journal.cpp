#include "store/study_journal.hpp"

#include <limits>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "core/error.hpp"
#include "store/store_error.hpp"
#include "store/store_connection.hpp"
#include "store/trial_codec.hpp"

namespace codse {
namespace {

constexpr const char* select_trials =
    "SELECT number, design, status, metrics, fidelity, seconds, error, artifacts FROM trials "
    "WHERE study_id = ? ORDER BY number";

Trial read_trial(const SqliteStatement& row) {
  Trial trial;
  trial.number = static_cast<std::size_t>(row.column_int64(0));
  trial.design = decode_design(row.column_text(1));
  trial.status = trial_status_from_string(row.column_text(2));
  trial.metrics.values = decode_metrics(row.column_text(3));
  trial.metrics.fidelity = fidelity_from_string(row.column_text(4));
  trial.metrics.seconds = row.column_double(5);
  trial.error = row.column_text(6);
  trial.artifacts_json = decode_artifacts(row.column_text(7));
  return trial;
}

}  // namespace

StudyJournal::StudyJournal(std::shared_ptr<StoreConnection> connection, std::int64_t id,
                           std::string name, nlohmann::json config)
    : connection_(std::move(connection)),
      id_(id),
      name_(std::move(name)),
      config_(std::move(config)) {}

const std::filesystem::path& StudyJournal::path() const { return connection_->db.path(); }

std::vector<Trial> StudyJournal::trials() const {
  return store_operation(path(), fmt::format("read the trials of study '{}'", name_), [&] { return read_trials(); });
}

std::vector<Trial> StudyJournal::read_trials() const {
  std::lock_guard lock(connection_->mutex);
  SqliteStatement select(connection_->db, select_trials);
  select.bind(1, id_);
  std::vector<Trial> trials;
  while (select.step()) {
    try {
      trials.push_back(read_trial(select));
    } catch (const std::exception& error) {
      throw InputError(fmt::format("{}: study '{}', trial {}: {}", path().string(), name_,
                                   select.column_int64(0), error.what()));
    }
  }
  return trials;
}

std::size_t StudyJournal::trial_count() const {
  std::lock_guard lock(connection_->mutex);
  SqliteStatement count(connection_->db, "SELECT count(*) FROM trials WHERE study_id = ?");
  count.bind(1, id_);
  count.step();
  return static_cast<std::size_t>(count.column_int64(0));
}

void StudyJournal::reject_duplicate(const Trial& trial, const std::string& key) const {
  SqliteStatement same_number(connection_->db,
                              "SELECT 1 FROM trials WHERE study_id = ? AND number = ?");
  same_number.bind(1, id_).bind(2, static_cast<std::int64_t>(trial.number));
  if (same_number.step())
    throw std::logic_error(
        fmt::format("{}: study '{}' already holds trial {}; a stored trial is "
                    "never replaced",
                    path().string(), name_, trial.number));
  SqliteStatement same_design(
      connection_->db, "SELECT number, design FROM trials WHERE study_id = ? AND design_key = ?");
  same_design.bind(1, id_).bind(2, std::string_view(key));
  if (same_design.step()) {
    const bool collision = decode_design(same_design.column_text(1)) != trial.design;
    throw std::logic_error(fmt::format(
        "{}: study '{}', trial {}: {} as trial {}", path().string(), name_, trial.number,
        collision ? "design key " + key + " (a hash collision) is already recorded"
                  : "the design is already recorded",
        same_design.column_int64(0)));
  }
}

void StudyJournal::insert(const Trial& trial) {
  if (trial.number > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()))
    throw std::invalid_argument(fmt::format("trial number {} too large to store", trial.number));
  const std::string key = design_key_hex(trial.design);
  const std::string artifacts = encode_artifacts(trial.artifacts_json);
  reject_duplicate(trial, key);
  SqliteStatement insert(
      connection_->db,
      "INSERT INTO trials (study_id, number, design_key, design, status, metrics, "
      "fidelity, seconds, error, artifacts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, id_)
      .bind(2, static_cast<std::int64_t>(trial.number))
      .bind(3, std::string_view(key))
      .bind(4, std::string_view(encode_design(trial.design)))
      .bind(5, to_string(trial.status))
      .bind(6, std::string_view(encode_metrics(trial.metrics.values)))
      .bind(7, to_string(trial.metrics.fidelity))
      .bind(8, trial.metrics.seconds)
      .bind(9, std::string_view(trial.error))
      .bind(10, std::string_view(artifacts))
      .run();
}

void StudyJournal::record(const Trial& trial) { record_all({trial}); }

void StudyJournal::record_all(const std::vector<Trial>& trials) {
  if (trials.empty()) return;
  const auto what = trials.size() == 1
                        ? fmt::format("record trial {} of study '{}'", trials.front().number, name_)
                        : fmt::format("record trials {}-{} of study '{}'", trials.front().number,
                                      trials.back().number, name_);
  store_operation(path(), what, [&] {
    std::lock_guard lock(connection_->mutex);
    SqliteTransaction transaction(connection_->db);
    for (const auto& trial : trials) insert(trial);
    transaction.commit();
  });
}

void StudyJournal::put_document(const std::string& key, const nlohmann::json& document) {
  const std::string text = document.dump();
  store_operation(path(), fmt::format("write the {} of study '{}'", key, name_), [&] {
    std::lock_guard lock(connection_->mutex);
    auto& db = connection_->db;
    SqliteTransaction transaction(db);
    SqliteStatement upsert(db,
                           "INSERT INTO documents (study_id, key, json) VALUES (?, ?, ?) "
                           "ON CONFLICT (study_id, key) DO UPDATE SET json = excluded.json, "
                           "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    upsert.bind(1, id_).bind(2, std::string_view(key)).bind(3, std::string_view(text)).run();
    transaction.commit();
  });
}

std::optional<nlohmann::json> StudyJournal::document(const std::string& key) const {
  std::lock_guard lock(connection_->mutex);
  SqliteStatement select(connection_->db,
                         "SELECT json FROM documents WHERE study_id = ? AND key = ?");
  select.bind(1, id_).bind(2, std::string_view(key));
  if (!select.step()) return std::nullopt;
  auto parsed = nlohmann::json::parse(select.column_text(0), nullptr, false);
  if (parsed.is_discarded())
    throw InputError(fmt::format("{}: study '{}': document '{}' is not JSON", path().string(),
                                 name_, key));
  return parsed;
}

std::vector<std::string> StudyJournal::document_keys() const {
  std::lock_guard lock(connection_->mutex);
  SqliteStatement select(connection_->db,
                         "SELECT key FROM documents WHERE study_id = ? ORDER BY key");
  select.bind(1, id_);
  std::vector<std::string> keys;
  while (select.step()) keys.push_back(select.column_text(0));
  return keys;
}

}  // namespace codse
