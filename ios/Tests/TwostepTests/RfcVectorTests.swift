import Foundation
import Twostep
import XCTest

/// The RFCs' own vectors, computed by the Rust core and read through the generated Swift: a
/// wrong conversion on the way (unsigned integers, Data, enums) would show as a wrong code.
final class RfcVectorTests: XCTestCase {
    /// RFC 6238 Appendix A: "12345678901234567890" repeated to 20, 32 or 64 bytes.
    private func seed(_ algorithm: OtpAlgorithm) -> Data {
        let length: Int
        switch algorithm {
        case .sha1: length = 20
        case .sha256: length = 32
        case .sha512: length = 64
        }
        return Data(String(repeating: "12345678901234567890", count: 4).utf8.prefix(length))
    }

    func testEveryRfc6238AppendixBCodeComesOutOfSwift() throws {
        let table: [(UInt64, [String])] = [
            (59, ["94287082", "46119246", "90693936"]),
            (1_111_111_109, ["07081804", "68084774", "25091201"]),
            (1_111_111_111, ["14050471", "67062674", "99943326"]),
            (1_234_567_890, ["89005924", "91819424", "93441116"]),
            (2_000_000_000, ["69279037", "90698825", "38618901"]),
            (20_000_000_000, ["65353130", "77737706", "47863826"]),
        ]
        for (time, codes) in table {
            for (algorithm, expected) in zip([OtpAlgorithm.sha1, .sha256, .sha512], codes) {
                let params = OtpParams(kind: .totp(period: 30), algorithm: algorithm, digits: 8)
                XCTAssertEqual(try codeAt(params: params, secret: seed(algorithm), unixSeconds: time), expected, "\(algorithm) at \(time)")
            }
        }
    }

    func testEveryRfc4226AppendixDCodeComesOutOfSwift() throws {
        let codes = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        for (counter, expected) in codes.enumerated() {
            let params = OtpParams(kind: .hotp(counter: UInt64(counter)), algorithm: .sha1, digits: 6)
            // HOTP ignores the time: the counter in the parameters decides.
            XCTAssertEqual(try codeAt(params: params, secret: seed(.sha1), unixSeconds: 1_700_000_000), expected)
        }
    }

    func testCodesAreGroupedByTheCore() {
        XCTAssertEqual(groupCode(code: "123456"), "123 456")
        XCTAssertEqual(groupCode(code: "12345678"), "1234 5678")
    }

    func testARefusedUriNamesItsFieldAsATypedSwiftError() {
        XCTAssertThrowsError(try parseUri(uri: "otpauth://totp/A:b?digits=6")) { error in
            guard case TwostepError.InvalidInput(let field, _) = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
            XCTAssertEqual(field, "secret")
        }
    }
}
