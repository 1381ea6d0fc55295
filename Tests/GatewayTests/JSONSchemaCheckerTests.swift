import Foundation
import Testing

/// The checker the OpenAPI tests rely on: it must refuse what the schemas forbid.
struct JSONSchemaCheckerTests {
    let document: [String: Any] = [
        "components": ["schemas": [
            "Item": ["type": "object", "properties": ["n": ["type": "integer", "minimum": 0]], "required": ["n"], "additionalProperties": false],
        ]],
    ]
    let schema: [String: Any] = [
        "type": "object",
        "properties": [
            "name": ["type": "string", "pattern": "^[a-f]+$"],
            "kind": ["type": "string", "enum": ["a", "b"]],
            "flag": ["type": "boolean"],
            "items": ["type": "array", "items": ["$ref": "#/components/schemas/Item"]],
            "map": ["type": "object", "additionalProperties": ["type": "integer"]],
        ],
        "required": ["name", "kind"],
        "additionalProperties": false,
    ]

    func check(_ json: String) throws -> [String] {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return JSONSchemaChecker(document: document).violations(value, schema)
    }

    @Test func aValidValuePasses() throws {
        #expect(try check(#"{"name":"abc","kind":"a","flag":true,"items":[{"n":1},{"n":0}],"map":{"x":3}}"#) == [])
    }

    @Test func eachViolationIsReportedWithItsPath() throws {
        #expect(try check(#"{"kind":"a"}"#) == [#"$: missing required property "name""#])
        #expect(try check(#"{"name":"abc","kind":"c"}"#).first?.hasPrefix("$.kind:") == true)
        #expect(try check(#"{"name":"xyz","kind":"a"}"#).first?.hasPrefix("$.name:") == true)
        #expect(try check(#"{"name":"abc","kind":"a","extra":1}"#) == [#"$: property "extra" is not allowed"#])
        #expect(try check(#"{"name":"abc","kind":"a","flag":1}"#).first?.hasPrefix("$.flag: expected boolean") == true)
        #expect(try check(#"{"name":"abc","kind":"a","items":[{"n":1.5}]}"#).first?.hasPrefix("$.items[0].n: expected integer") == true)
        #expect(try check(#"{"name":"abc","kind":"a","items":[{"n":-1}]}"#).first?.hasPrefix("$.items[0].n:") == true)
        #expect(try check(#"{"name":"abc","kind":"a","items":[{"n":1,"m":2}]}"#).first?.hasPrefix("$.items[0]:") == true)
        #expect(try check(#"{"name":"abc","kind":"a","map":{"x":"3"}}"#).first?.hasPrefix("$.map.x: expected integer") == true)
        #expect(try check(#"{"name":"abc","kind":"a","items":{"n":1}}"#).first?.hasPrefix("$.items: expected array") == true)
        #expect(try check(#"[1]"#) == ["$: expected object, got an array"])
    }

    @Test func anUnresolvableReferenceIsAViolation() throws {
        let checker = JSONSchemaChecker(document: [:])
        #expect(checker.violations(["n": 1], ["$ref": "#/components/schemas/Missing"]).count == 1)
    }
}
