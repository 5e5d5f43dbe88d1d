/**
 * Named finite-field Schnorr group parameters, each copied from its specification and
 * cross-checked against its reference code (the `source` field of each set says which). The
 * insecure "toy" sets used for testing are deliberately NOT here (see `test-group.ts`).
 *
 * Values are big-endian lowercase hex, split in 64-digit lines for review; `test/group/modp.test.ts`
 * re-checks every structural property (primality of p and q, q | p − 1, 1 < g < p, g^q ≡ 1 mod p)
 * and the ElectionGuard 2.0 parameter hash H_P.
 * @module
 */

/** Parameters (p, q, g) of a prime-order-q subgroup of Z_p^*. */
export interface ModpParams {
  /** Stable group id, used in records and domain-separation tags. */
  readonly id: string;
  /** Human-readable description. */
  readonly description: string;
  /** Where the numbers come from. */
  readonly source: string;
  /** The prime modulus p. */
  readonly p: bigint;
  /** The prime order q of the subgroup (q | p − 1). */
  readonly q: bigint;
  /** A generator g of the order-q subgroup. */
  readonly g: bigint;
}

const hex = (lines: string[]): bigint => BigInt('0x' + lines.join(''));

/** ElectionGuard 2.0/2.1 standard baseline parameters: 4096-bit p, q = 2^256 − 189, g = 2^((p−1)/q) mod p. Source: ElectionGuard Design Specification v2.1.0 §3.1.1 (identical in v2.0.0); equal to electionguard-rust standard_parameters.rs and electionguard-kotlin-multiplatform Primes4096.kt. (p−1)/(2q) is prime. */
export const EG_V2_STANDARD_4096: ModpParams = Object.freeze({
  id: 'electionguard-v2-standard-4096',
  description: 'ElectionGuard 2.0/2.1 standard baseline parameters: 4096-bit p, q = 2^256 − 189, g = 2^((p−1)/q) mod p',
  source:
    'ElectionGuard Design Specification v2.1.0 §3.1.1 (identical in v2.0.0); equal to electionguard-rust standard_parameters.rs and electionguard-kotlin-multiplatform Primes4096.kt. (p−1)/(2q) is prime.',
  p: hex([
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'b17217f7d1cf79abc9e3b39803f2f6af40f343267298b62d8a0d175b8baafa2b',
    'e7b876206debac98559552fb4afa1b10ed2eae35c138214427573b291169b825',
    '3e96ca16224ae8c51acbda11317c387eb9ea9bc3b136603b256fa0ec7657f74b',
    '72ce87b19d6548caf5dfa6bd38303248655fa1872f20e3a2da2d97c50f3fd5c6',
    '07f4ca11fb5bfb90610d30f88fe551a2ee569d6dfc1efa157d2e23de1400b396',
    '17460775db8990e5c943e732b479cd33cccc4e659393514c4c1a1e0bd1d6095d',
    '25669b333564a3376a9c7f8a5e148e82074db6015cfe7aa30c480a5417350d2c',
    '955d5179b1e17b9dae313cdb6c606cb1078f735d1b2db31b5f50b5185064c18b',
    '4d162db3b365853d7598a1951ae273ee5570b6c68f96983496d4e6d330af889b',
    '44a02554731cdc8ea17293d1228a4ef98d6f5177fbcf0755268a5c1f9538b982',
    '61affd446b1ca3cf5e9222b88c66d3c5422183edc99421090bbb16faf3d949f2',
    '36e02b20cee886b905c128d53d0bd2f9621363196af503020060e49908391a0c',
    '57339ba2beba7d052ac5b61cc4e9207cef2f0ce2d7373958d762265890445744',
    'fb5f2da4b751005892d356890defe9cad9b9d4b713e06162a2d8fdd0df2fd608',
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  ]),
  q: hex(['ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff43']),
  g: hex([
    '36036fed214f3b50dc566d3a312fe4131fee1c2bce6d02ea39b477ac05f7f885',
    'f38cfe77a7e45acf4029114c4d7a9bfe058bf2f995d2479d3dda618ffd910d3c',
    '4236ab2cfdd783a5016f7465cf59bbf45d24a22f130f2d04fe93b2d58bb9c1d1',
    'd27fc9a17d2af49a779f3ffbdca22900c14202ee6c99616034be35cbcdd3e7bb',
    '7996adfe534b63cca41e21ff5dc778ebb1b86c53bfbe99987d7aea0756237fb4',
    '0922139f90a62f2aa8d9ad34dff799e33c857a6468d001acf3b681db87dc4242',
    '755e2ac5a5027db81984f033c4d178371f273dbb4fcea1e628c23e52759bc776',
    '5728035cea26b44c49a65666889820a45c33dd37ea4a1d00cb62305cd541be1e',
    '8a92685a07012b1a20a746c3591a2db3815000d2aaccfe43dc49e828c1ed7387',
    '466afd8e4bf1935593b2a442eec271c50ad39f733797a1ea11802a2557916534',
    '662a6b7e9a9e449a24c8cff809e79a4d806eb681119330e6c57985e39b200b48',
    '93639fdfdea49f76ad1acd997eba13657541e79ec57437e504eda9dd01106151',
    '6c643fb30d6d58afccd28b73feda29ec12b01a5eb86399a593a9d5f450de39cb',
    '92962c5ec6925348db54d128fd99c14b457f883ec20112a75a6a0581d3d80a3b',
    '4ef09ec86f9552ffda1653f133aa2534983a6f31b0ee4697935a6b1ea2f75b85',
    'e7eba151ba486094d68722b054633fec51ca3f29b31e77e317b178b6b9d8ae0f',
  ]),
});

/** ElectionGuard 2.0/2.1 reduced parameters: 3072-bit p, q = 2^256 − 189. Source: ElectionGuard Design Specification v2.1.0 appendix "Reduced Parameters – Using a 3072-Bit Prime"; equal to electionguard-rust (feature eg-use-reduced-params-q256p3072) and electionguard-kotlin-multiplatform Primes3072.kt. */
export const EG_V2_REDUCED_3072: ModpParams = Object.freeze({
  id: 'electionguard-v2-reduced-3072',
  description: 'ElectionGuard 2.0/2.1 reduced parameters: 3072-bit p, q = 2^256 − 189',
  source: `ElectionGuard Design Specification v2.1.0 appendix 'Reduced Parameters – Using a 3072-Bit Prime'; equal to electionguard-rust (feature eg-use-reduced-params-q256p3072) and electionguard-kotlin-multiplatform Primes3072.kt.`,
  p: hex([
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'b17217f7d1cf79abc9e3b39803f2f6af40f343267298b62d8a0d175b8baafa2b',
    'e7b876206debac98559552fb4afa1b10ed2eae35c138214427573b291169b825',
    '3e96ca16224ae8c51acbda11317c387eb9ea9bc3b136603b256fa0ec7657f74b',
    '72ce87b19d6548caf5dfa6bd38303248655fa1872f20e3a2da2d97c50f3fd5c6',
    '07f4ca11fb5bfb90610d30f88fe551a2ee569d6dfc1efa157d2e23de1400b396',
    '17460775db8990e5c943e732b479cd33cccc4e659393514c4c1a1e0bd1d6095d',
    '25669b333564a3376a9c7f8a5e148e82074db6015cfe7aa30c480a5417350d2c',
    '955d5179b1e17b9dae313cdb6c606cb1078f735d1b2db31b5f50b5185064c18b',
    '4d162db3b365853d7598a1951ae273ee5570b6c68f96983496d4e6d330d6e582',
    'cab40d66550984ef0c42a4574280b37845189610ae3e4bb22590a08f6ad27bfb',
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  ]),
  q: hex(['ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff43']),
  g: hex([
    '4a1523cb0111b38104ebcde5163f581eeedd91637ac57544c1d2283234272732',
    'ff0cd85f385395443f57370132a237ff38702ab037f35e7c7003669d83697ba1',
    '3bed69b63c88bd610d33c6a89e4882ee6f849f0506a4a8f0b169e5ca000a21dc',
    '16d7dcecc69e593c659677393b6ce260d3d6a578e74e42a1b2ade1ed8627050c',
    'fb59e604cac389e99161da6e6e9407df9451786401003a8b7626ac5e90b888ea',
    'bb5e07e996b186629b17165fd630e139788f674dff4978a6b74c6d020a6570cc',
    '7c7a9e3821283571ba3fa1fcc6901a8c28d02ef8b8c4b019f7ddade51a089c57',
    'ef90c2ce50761754d778bc9abfd848095c4a0ed0fa7b7ae52cda4bd6e2cb16f3',
    '8edc033f32f259c513dd9e0d1f780886d71d7db835f3f08db11cc9cd41eb0d5a',
    '37ac6dba1a1eba55c378bc0695b9d93aa59903eba1ce52886a0baafb15354863',
    '1bceac5207b97205be8fdf830f27348c7ae852f9f8876887d23b8054a077dc8a',
    'ec0bf615a1fa74bc727014cfac40e20ea194489f63a6c22427cb999c9d04aa61',
  ]),
});

/** BELENIOS-2048: Belenios default finite-field group (FIPS 186-4 A.1.1.2 / A.2.3 generation), 2048-bit p, 256-bit q. Source: Belenios doc/specification.tex "BELENIOS-2048" and src/lib/v2/group.ml; regenerated independently from the FIPS 186-4 seed "Belenios: Verifiable online voting system 154", counter 109. */
export const BELENIOS_2048: ModpParams = Object.freeze({
  id: 'belenios-2048',
  description: 'BELENIOS-2048: Belenios default finite-field group (FIPS 186-4 A.1.1.2 / A.2.3 generation), 2048-bit p, 256-bit q',
  source: `Belenios doc/specification.tex 'BELENIOS-2048' and src/lib/v2/group.ml; regenerated independently from the FIPS 186-4 seed 'Belenios: Verifiable online voting system 154', counter 109.`,
  p: hex([
    'a3ef2d011fefb1b6e39e568fccdffb0fb7dc7ef3a791b6862791811d21fc35f2',
    '1e6d36856b428030421f514ed40bfd4c06e092a495af8d79a2f85e0fb11c0ede',
    '07dd973f9c53e50930c6e82ac36de1ae3fb8c3aabfff12ce27a5022ddd8912d1',
    '07435012768a2cdd0a4091d8fa447f6c7ebc15a349fa318a6b4fe17d8d47e843',
    'a3e14dfa9b2162f4d7229abe93a188b46b006517d6f6747ebbb29c9ec3099b60',
    '7f18fb1a8bc858279aa8599411d998d3e3fada9e010840d082d8c31911acdd4a',
    '0e7992d0f18cc759cb5de0acf66a3882555bc810941e021b6a4ccfa04ee4008f',
    '878affa2375e2999b44f6cef17d707301e59e0e6351e051ed9cec4157646e64f',
  ]),
  q: hex(['adb6066a73522565f4daa0f2579db7f2f0fa90c2168bc709e20263387d55c491']),
  g: hex([
    '1307c1ab5f295885d7caa3a78a42415e31fd1c5807b61fb1e781878a52230a51',
    '988b98c259597f9c5a9dfd001d26ba31d9d8976f01d95a1c8262ee68a0e92cea',
    '541e5219e0d0d094301b894236823fe1d4bc04e29f3748aefd4f10d5b1a356a8',
    '643e673fd9d215fc8fe5fb9cf9fdb8ea88fdb1a3381a697fdf9c2458570b06d2',
    '6aef1be365fdd90165f397c6b870df8c1b9e519edcee8bb0f74b7a1615a274ba',
    '60a7ea574a61f552d2dde0ce514e0927c4ff49b1964c4a913731ae4268d60d7f',
    '22127b6cbba44d453ac8b72fd04e0991b7aeff04867d8724ac638f5f34100d2d',
    '47aa680d43771902743d663f42d853c041e1c91fe3823f4bcf284308f1d7e653',
  ]),
});

/** Helios v3 default ElGamal parameters: 2048-bit p, 256-bit q. Source: helios-server helios/views.py ELGAMAL_PARAMS; equal to helios/fixtures/legacy-data.json and heliosbooth helios.js get_bogus_public_key. */
export const HELIOS_2048: ModpParams = Object.freeze({
  id: 'helios-default-2048-256',
  description: 'Helios v3 default ElGamal parameters: 2048-bit p, 256-bit q',
  source:
    'helios-server helios/views.py ELGAMAL_PARAMS; equal to helios/fixtures/legacy-data.json and heliosbooth helios.js get_bogus_public_key.',
  p: hex([
    '815901aa6d3ced6a0bd488c617351e322c8aef8f9f90adf331a2583d8082ac46',
    'f74345a1e1cf561facbdf3239bc3f0ee71618b5d016266caafd48439b034a38f',
    '6560cd6b671e3a80248b46809ad8de7a4cc7250469611d59dae8d8af5c6d0f9f',
    '3665f9857e04e1134dc94b270e93341449ea503617447ecb83b2c01602878c07',
    '0d080da464c974d9951c35c1a553407345ee31ebc4a29a3488d5a54702a971ee',
    '0a1ea4da93fcf64105040893ff4bec23ca11e8cffa279e899a46891137c28e85',
    'f5a2fc9c637af6d26f6b5deba3d60580df41c334ea123331f8b0adeb43ea64a0',
    '37e0c5ac168c47ce421bc9718ba8357099a0221f778599acd917607f3e3024d7',
  ]),
  q: hex(['87974deb793421ce3891540d906ac0806b85a2b95adc211a82ef8b659f8d9d25']),
  g: hex([
    '75ee80f0a161dd0c025ac818db8d52d193a46655fe0ebd3c289a949f42185f58',
    'f2f88f825dcdb3e3e98c0598af87599728f4f0719a8f68b133e82eb1bc4e3b6b',
    '8a377a5c6b812d656efcde578fdf515ac6ef628f1564ac907745d53bc6213b74',
    'f0cc303bbe68f3ab2220dcacd0ceece7aac3a675aaa0604885a1fb1374e6c08f',
    '2dcf503e58ac6487be73b8ab2a10fa62a79522cbc777b6321fd346e0d36ee5a7',
    '291955117d8bb4284901eb26804bd2286a14af52f5301c489c80dfeafb7ce496',
    'af58479a4c6f57f29ec8c9e4f6b88deb06f5d120859d2d4de06e57b0476f8263',
    'f7a4a35f67ed21a4a927109fa89a6b7f4976e98e3ddb3cd232c516b1da5cc555',
  ]),
});

/** Every named production parameter set, in registry order. */
export const NAMED_MODP_PARAMS: readonly ModpParams[] = Object.freeze([
  EG_V2_STANDARD_4096,
  EG_V2_REDUCED_3072,
  BELENIOS_2048,
  HELIOS_2048,
]);
