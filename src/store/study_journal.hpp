#pragma once
// The trials of one study in a Store: the durable TrialJournal a Study records into and replays
// to resume.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/trial_journal.hpp"

namespace codse {

struct StoreConnection;

/// Obtained from Store::open_study or Store::study. Copies share the store's connection and stay
/// usable after the Store object is gone. Thread-safe: calls are serialised on the connection.
class StudyJournal final : public TrialJournal {
 public:
  std::int64_t id() const { return id_; }
  const std::string& name() const { return name_; }
  /// The configuration the study was created with.
  const nlohmann::json& config() const { return config_; }
  /// The store file.
  const std::filesystem::path& path() const;

  /// Every recorded trial, ordered by number. Throws InputError naming the file, study and trial
  /// if a stored row cannot be read (a file edited by hand).
  std::vector<Trial> trials() const override;
  std::size_t trial_count() const;

  /// Inserts the trial in one transaction, durable (fsync'ed) when this returns. Throws
  /// std::logic_error if the study already holds a trial with this number or this design:
  /// a stored result is never replaced.
  /// The trial's artifacts_json must be empty or a JSON object (std::invalid_argument otherwise).
  void record(const Trial& trial) override;
  /// Records several trials in one transaction: all of them or, on any error, none (the joint
  /// designs of one trained network are stored together).
  void record_all(const std::vector<Trial>& trials) override;

  /// Stores a study-level document under key (e.g. "objectives", "hints", "hypervolume"),
  /// replacing the previous one of that key, in one transaction.
  void put_document(const std::string& key, const nlohmann::json& document);
  /// The document stored under key, if any. Throws InputError naming the file, study and key if
  /// the stored text is not JSON.
  std::optional<nlohmann::json> document(const std::string& key) const;
  /// Keys of the stored documents, sorted.
  std::vector<std::string> document_keys() const;

 private:
  friend class Store;
  StudyJournal(std::shared_ptr<StoreConnection> connection, std::int64_t id, std::string name,
               nlohmann::json config);
  void reject_duplicate(const Trial& trial, const std::string& key) const;
  void insert(const Trial& trial);  // caller holds the lock and a transaction
  std::vector<Trial> read_trials() const;

  std::shared_ptr<StoreConnection> connection_;
  std::int64_t id_;
  std::string name_;
  nlohmann::json config_;
};

}  // namespace codse
