import Sodium
import Testing
@testable import RegistryCore

/// TX-1…TX-7 and ADR 0005: every envelope failure has its own code and leaves nothing behind.
@Suite struct EnvelopeTests {
    let register = Action.registerModel(TestChain.registration())

    @Test func acceptedRegistrationChargesFeeAndAdvancesNonce() {
        var chain = TestChain()
        let balance = chain.account(TestChain.alice).balance
        let result = chain.submit(chain.tx(TestChain.alice, register))
        #expect(result.code == .ok)
        #expect(result.feeCharged > 0)
        #expect(chain.account(TestChain.alice).nonce == 1)
        #expect(chain.account(TestChain.alice).balance == balance - result.feeCharged)
    }

    @Test func tx4BadSignatureIsRefused() {
        var chain = TestChain()
        var signed = try! SignedTransaction(canonicalBytes: chain.tx(TestChain.alice, register))
        signed.signature[0] ^= 1
        chain.expectRejected(signed.canonicalBytes(), by: TestChain.alice, .invalidSignature)
    }

    @Test func tx4SignatureByAnotherKeyIsRefused() {
        var chain = TestChain()
        var signed = try! SignedTransaction(canonicalBytes: chain.tx(TestChain.alice, register))
        signed.publicKey = TestChain.bob.pair.publicKey
        chain.expectRejected(signed.canonicalBytes(), by: TestChain.bob, .invalidSignature)
    }

    @Test func tx2WrongChainIDIsRefused() {
        var chain = TestChain()
        chain.expectRejected(chain.tx(TestChain.alice, register, chainID: "other-chain"), by: TestChain.alice, .wrongChainID)
    }

    @Test func tx5StaleAndFutureNoncesAreRefused() {
        var chain = TestChain()
        chain.submit(chain.tx(TestChain.alice, .withdraw(amount: 1)))
        chain.expectRejected(chain.tx(TestChain.alice, .withdraw(amount: 1), nonce: 0), by: TestChain.alice, .staleNonce)
        chain.expectRejected(chain.tx(TestChain.alice, .withdraw(amount: 1), nonce: 5), by: TestChain.alice, .futureNonce)
    }

    @Test func tx5SameRoundSequentialNoncesApply() {
        var chain = TestChain()
        let out = chain.run([chain.tx(TestChain.alice, .withdraw(amount: 1), nonce: 0),
                             chain.tx(TestChain.alice, .withdraw(amount: 2), nonce: 1)])
        #expect(out.results.map(\.code) == [.ok, .ok])
        #expect(chain.account(TestChain.alice).nonce == 2)
    }

    @Test func tx1MalformedBytesAreRefused() {
        var chain = TestChain()
        chain.expectRejected([0x0D, 0, 0], by: TestChain.alice, .malformedTransaction)
        var bytes = chain.tx(TestChain.alice, register)
        bytes.append(0)
        chain.expectRejected(bytes, by: TestChain.alice, .malformedTransaction)
    }

    @Test func tx1MalformedBodyIsRefused() {
        var chain = TestChain()
        let body: [UInt8] = [TypeTag.transactionBody.rawValue, 0, 0, 0]
        let sig = TestChain.alice.pair.sign(SignedTransaction.signBytes(chainID: TestChain.chainID, bodyBytes: body))
        let tx = SignedTransaction(bodyBytes: body, publicKey: TestChain.alice.pair.publicKey, signature: sig)
        chain.expectRejected(tx.canonicalBytes(), by: TestChain.alice, .malformedBody)
    }

    @Test func tx1OversizeTransactionIsRefused() {
        var chain = TestChain()
        let big = Action.registerModel(TestChain.registration())
        var bytes = chain.tx(TestChain.alice, big)
        bytes += [UInt8](repeating: 0, count: 20_000)
        chain.expectRejected(bytes, by: TestChain.alice, .transactionTooLarge)
    }

    @Test func tx3DuplicateInRoundIsRefused() {
        var chain = TestChain()
        let tx = chain.tx(TestChain.alice, .withdraw(amount: 1))
        let out = chain.run([tx, tx])
        #expect(out.results.map(\.code) == [.ok, .duplicateTransaction])
        #expect(out.results[0].txID == Blake2b.hash256(tx))
    }

    @Test func tx6FeeLimitExceededIsRefused() {
        var chain = TestChain()
        chain.expectRejected(chain.tx(TestChain.alice, register, maxFee: 0), by: TestChain.alice, .feeLimitExceeded)
    }

    @Test func tx7InsufficientFeeBalanceIsRefused() {
        var chain = TestChain()
        chain.expectRejected(chain.tx(TestChain.dave, register), by: TestChain.dave, .insufficientFeeBalance)
    }

    @Test func preparedAndUnpreparedRoundsAreIdentical() throws {
        let chain = TestChain()
        let txs = [chain.tx(TestChain.alice, register), chain.tx(TestChain.bob, .withdraw(amount: 5)), [1, 2, 3]]
        let input = RoundInput(round: 1, timestampMillis: 200, transactions: txs)
        let plain = try chain.executor.execute(input, state: chain.state)
        let prepared = txs.map { TransactionPreparer.prepare($0, chainID: TestChain.chainID, maxBytes: TestChain.parameters.maxTransactionBytes) }
        let fast = try chain.executor.execute(input, state: chain.state, prepared: prepared)
        #expect(plain == fast)
        #expect(plain.canonicalBytes() == fast.canonicalBytes())
        // Prepared entries of other bytes are ignored, not trusted.
        let shuffled = [prepared[1], prepared[0], prepared[2]]
        #expect(try chain.executor.execute(input, state: chain.state, prepared: shuffled) == plain)
    }

    /// The prepared-entry check compares the entry's recorded inputs (bytes, chain id, size limit), not a
    /// hash: an entry prepared for another chain, or from other bytes of the same length, is re-prepared;
    /// one prepared from an equal copy of the bytes (another buffer) is used and gives the same outcome.
    @Test func preparedEntriesOfAnotherChainOrOtherBytesAreNotTrusted() throws {
        let chain = TestChain()
        let txs = [chain.tx(TestChain.alice, register), chain.tx(TestChain.bob, .withdraw(amount: 5))]
        let input = RoundInput(round: 1, timestampMillis: 200, transactions: txs)
        let plain = try chain.executor.execute(input, state: chain.state)
        #expect(plain.results.map(\.code) == [.ok, .ok])
        let maxBytes = TestChain.parameters.maxTransactionBytes
        let otherChain = txs.map { TransactionPreparer.prepare($0, chainID: "another-chain", maxBytes: maxBytes) }
        #expect(otherChain.allSatisfy { $0.failure == .wrongChainID })
        #expect(try chain.executor.execute(input, state: chain.state, prepared: otherChain) == plain)
        var mutated = txs[1]
        mutated[mutated.count - 1] ^= 0x01
        let otherBytes = [TransactionPreparer.prepare(txs[0], chainID: TestChain.chainID, maxBytes: maxBytes),
                          TransactionPreparer.prepare(mutated, chainID: TestChain.chainID, maxBytes: maxBytes)]
        #expect(otherBytes[1].failure == .invalidSignature)
        #expect(try chain.executor.execute(input, state: chain.state, prepared: otherBytes) == plain)
        let copies = txs.map { tx -> [UInt8] in var copy = tx; copy.append(0); copy.removeLast(); return copy }
        let fromCopies = copies.map { TransactionPreparer.prepare($0, chainID: TestChain.chainID, maxBytes: maxBytes) }
        #expect(fromCopies.enumerated().allSatisfy { $0.element.belongs(to: txs[$0.offset], chainID: TestChain.chainID, maxBytes: maxBytes) })
        #expect(try chain.executor.execute(input, state: chain.state, prepared: fromCopies) == plain)
    }

    @Test func checkTxAdmitsWithoutWrites() throws {
        let chain = TestChain()
        #expect(try chain.executor.check(chain.tx(TestChain.alice, register), state: chain.state) == .ok)
        #expect(try chain.executor.check(chain.tx(TestChain.alice, register, nonce: 3), state: chain.state) == .ok)
        #expect(try chain.executor.check(chain.tx(TestChain.dave, register), state: chain.state) == .insufficientFeeBalance)
        #expect(try chain.executor.check([0], state: chain.state) == .malformedTransaction)
    }

    /// Random bytes and mutated valid transactions never trap (seeded SplitMix64, 3000 cases).
    @Test func randomBytesNeverTrap() throws {
        var chain = TestChain()
        var seed: UInt64 = 0x5EED
        func next() -> UInt64 {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let valid = chain.tx(TestChain.alice, register)
        var txs: [[UInt8]] = []
        for i in 0..<3000 {
            if i % 2 == 0 {
                txs.append((0..<Int(next() % 300)).map { _ in UInt8(truncatingIfNeeded: next()) })
            } else {
                var m = valid
                for _ in 0..<(1 + next() % 4) { m[Int(next() % UInt64(m.count))] = UInt8(truncatingIfNeeded: next()) }
                txs.append(m)
            }
        }
        let out = chain.run(txs)
        #expect(out.results.count == 3000)
        #expect(out.results.allSatisfy { $0.code != .ok || $0.txID == Blake2b.hash256(valid) })
    }
}
