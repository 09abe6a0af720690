#include "probe_net/url.hpp"

#include <catch2/catch.hpp>

using switchboard::Code;

using switchboard::probe::ParseUrl;
using switchboard::probe::ResolveLocation;

TEST_CASE("URLs split into scheme, host, port and target") {
  auto url = ParseUrl("HTTPS://API.Example.com:8443/v1/models?limit=1&x=y#frag");
  REQUIRE(url.ok());
  CHECK(url->scheme == "https");
  CHECK(url->host == "api.example.com");
  CHECK(url->port == 8443);
  CHECK(url->target == "/v1/models?limit=1&x=y");
  CHECK(url->HostHeader() == "api.example.com:8443");

  auto plain = ParseUrl("http://example.com?q=1");
  REQUIRE(plain.ok());
  CHECK(plain->port == 80);
  CHECK(plain->target == "/?q=1");
  CHECK(plain->HostHeader() == "example.com");

  auto v6 = ParseUrl("http://[::1]:8080");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->target == "/");
  CHECK(v6->Authority() == "[::1]:8080");
}

TEST_CASE("bad URLs fail with bad_url and never echo the URL") {
  auto text = GENERATE("ftp://example.com/", "example.com/path", "http://", "http://:80/",
                       "http://user:secret@example.com/", "http://example.com:0/",
                       "http://example.com:70000/", "http://example.com:8x/", "http://[::1/",
                       "http://exa mple.com/", "http://example.com/a b", "http://example.com/\r\nX: y");
  CAPTURE(text);
  auto url = ParseUrl(text);
  REQUIRE_FALSE(url.ok());
  CHECK(url.status().Is(Code::kBadUrl));
  CHECK_THAT(url.status().message(), !Catch::Contains("secret"));
}

TEST_CASE("redirect locations resolve against the URL that answered") {
  auto base = *ParseUrl("https://api.example.com:8443/a/b?x=1");
  CHECK(ResolveLocation(base, "/c")->target == "/c");
  CHECK(ResolveLocation(base, "c?y=2")->target == "/a/c?y=2");
  CHECK(ResolveLocation(base, "?y=2")->target == "/a/b?y=2");
  auto other = ResolveLocation(base, "//other.example.com/z");
  REQUIRE(other.ok());
  CHECK(other->scheme == "https");
  CHECK(other->host == "other.example.com");
  CHECK(other->port == 443);
  auto absolute = ResolveLocation(base, "http://10.0.0.1/");
  REQUIRE(absolute.ok());
  CHECK(absolute->host == "10.0.0.1");
  CHECK_FALSE(ResolveLocation(base, "file:///etc/passwd").ok());
  CHECK_FALSE(ResolveLocation(base, "javascript:alert(1)").ok());
  CHECK(base.SameOrigin(*ResolveLocation(base, "/x")));
  CHECK_FALSE(base.SameOrigin(*other));
}
