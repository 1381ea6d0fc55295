import Testing
@testable import RegistryCore

/// LC-4 text fields: no control characters (C0, DEL, C1), a byte limit, optionally non-empty — on the
/// ASCII fast path and on the scalar path for strings with non-ASCII characters.
@Suite struct ValidationTextTests {
    @Test(arguments: [
        ("plain text", true), ("", true), ("tab\there", false), ("del\u{7F}", false), ("nul\u{0}", false),
        ("\u{1F}start", false), ("é accent", true), ("é then bell\u{07}", false), ("c1 \u{85} next line", false),
        ("c1 end \u{9F}", false), ("after c1 \u{A0} nbsp", true), ("emoji 🚀", true), ("🚀 then del\u{7F}", false),
    ] as [(String, Bool)])
    func controlCharactersAreRefusedOnBothPaths(text: String, accepted: Bool) {
        #expect(Validation.isText(text, limit: 64, required: false) == accepted)
    }

    @Test func limitAndRequiredStillApply() {
        #expect(!Validation.isText("", limit: 64, required: true))
        #expect(Validation.isText("abcd", limit: 4, required: true))
        #expect(!Validation.isText("abcde", limit: 4, required: true))
        #expect(!Validation.isText("éé", limit: 3, required: true))  // 4 UTF-8 bytes
    }
}
