// A throwaway self-signed certificate (EC P-256) written as PEM files into a fresh
// temporary directory, removed again on destruction.
#pragma once

#include <string>
#include <vector>

namespace probe_net_test {

class SelfSignedCert {
 public:
  // `subject_alt_names` like {"IP:127.0.0.1", "DNS:localhost"}.
  explicit SelfSignedCert(const std::vector<std::string>& subject_alt_names);
  ~SelfSignedCert();
  SelfSignedCert(const SelfSignedCert&) = delete;
  SelfSignedCert& operator=(const SelfSignedCert&) = delete;

  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }

 private:
  std::string dir_;
  std::string cert_file_;
  std::string key_file_;
};

}  // namespace probe_net_test
