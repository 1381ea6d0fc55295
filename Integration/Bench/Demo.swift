/// `registry-bench demo`: an end-to-end demonstration. Placeholder, owned by another engineer.
enum Demo {
    static func run(_ arguments: [String]) -> Int32 {
        print("registry-bench demo: not yet implemented")
        return 0
    }
}
