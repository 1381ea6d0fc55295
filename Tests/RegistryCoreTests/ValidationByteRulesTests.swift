import Testing
@testable import RegistryCore

/// The byte rules of LC-4 (identifiers, source URIs, tags), which run over the strings' UTF-8 in place.
@Suite struct ValidationByteRulesTests {
    @Test func identifiers() {
        #expect(Validation.isIdentifier("resnet-50_v1.2", limit: 64))
        #expect(Validation.isIdentifier("A", limit: 1))
        #expect(!Validation.isIdentifier("", limit: 64))
        #expect(!Validation.isIdentifier("-resnet", limit: 64))
        #expect(!Validation.isIdentifier(".x", limit: 64))
        #expect(!Validation.isIdentifier("res net", limit: 64))
        #expect(!Validation.isIdentifier("résnet", limit: 64))
        #expect(!Validation.isIdentifier("abc", limit: 2))
        #expect(Validation.isIdentifier("abc", limit: 3))
    }

    @Test func sourceURIs() {
        for scheme in Limits.uriSchemes { #expect(Validation.isSourceURI(scheme + "host/path?q=1~")) }
        #expect(!Validation.isSourceURI("https://"))
        #expect(!Validation.isSourceURI("http://example.org"))
        #expect(!Validation.isSourceURI("https://exa mple.org"))
        #expect(!Validation.isSourceURI("https://exämple.org"))
        #expect(!Validation.isSourceURI("https://example.org\u{7F}"))
        #expect(!Validation.isSourceURI("HTTPS://example.org"))
        #expect(!Validation.isSourceURI(""))
        let longest = "https://" + String(repeating: "a", count: Limits.maxSourceURILength - 8)
        #expect(Validation.isSourceURI(longest))
        #expect(!Validation.isSourceURI(longest + "a"))
    }

    @Test func tags() {
        #expect(Validation.areTags([]))
        #expect(Validation.areTags(["vision", "resnet-50", "a1"]))
        #expect(!Validation.areTags(["vision", "Vision"]))
        #expect(!Validation.areTags([""]))
        #expect(!Validation.areTags(["a_b"]))
        #expect(!Validation.areTags(["x", "y", "x"]))
        #expect(Validation.areTags([String(repeating: "a", count: Limits.maxTagLength)]))
        #expect(!Validation.areTags([String(repeating: "a", count: Limits.maxTagLength + 1)]))
        #expect(!Validation.areTags((0...Limits.maxTags).map { "t\($0)" }))
        #expect(Validation.areTags((1...Limits.maxTags).map { "t\($0)" }))
    }
}
