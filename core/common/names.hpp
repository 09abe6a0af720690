// Names people give things (connections, projects, flows, deployments, tokens,
// integrations): what a name may be, how it is stored, and when two names are the same.
//
// A name is UTF-8 text, normalized to NFC on input and stored so. It is refused
// (code name_invalid) when it is not valid UTF-8, is empty or only spaces, starts or ends
// with a space, or holds a character a reader cannot see or that changes how the text
// around it is shown: C0/C1 controls and DEL, format characters (Cf: zero-width space and
// joiners, bidi embeddings/overrides/isolates, BOM, soft hyphen), other default-ignorable
// code points (Hangul fillers, variation selectors), line/paragraph separators, private
// use and unassigned code points, and every space but U+0020 (NBSP, ideographic space...:
// refused rather than rewritten, so what is stored is what was typed). It is refused with
// name_too_long above kMaxChars code points or kMaxBytes bytes (after NFC).
//
// Two names are the same name when their UniquenessKeys are equal: NFKC with full Unicode
// case folding (fullwidth letters, ß/ss, CAFÉ/Café), runs of spaces as one, then ICU's
// confusable skeleton (UTS #39: Cyrillic А/Latin A, Greek ο/Latin o, dotless ı/i, 0/O,
// 1/l), folded again. The store's uniqueness index is keyed by it.
// THREADS: pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace switchboard::names {

constexpr size_t kMaxChars = 200;
constexpr size_t kMaxBytes = 800;

// The NFC form of `input` when it is an acceptable name; otherwise missing_required
// (empty), name_invalid or name_too_long, with a sentence for a person.
Result<std::string> Normalize(std::string_view input);

// Equal for names a reader could mistake for each other. `name` should be normalized.
std::string UniquenessKey(std::string_view name);

}  // namespace switchboard::names
