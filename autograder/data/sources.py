"""Registry of the pinned corpus files the course uses.

Every corpus file is identified by the upstream GitHub repository, a *commit* (never a branch, so
the bytes cannot change under us), the path inside that repository, and the SHA-256 digest of the
file's bytes. The corpora themselves are never committed to the course repository; only these
checksums are. :func:`autograder.data.download.fetch` reads a file from a local mirror, from the
download cache, or downloads it, and always verifies the digest listed here.

A local mirror (see ``AUTOGRADER_DATA_MIRROR``) keeps each file at :attr:`PinnedFile.mirror_path`,
for example ``char-rnn/tinyshakespeare/input.txt`` or ``chinese-poetry/全唐诗/poet.tang.0.json``.
The download cache uses the same layout, so a filled cache folder can itself serve as a mirror.

Corpora
-------
* Tiny Shakespeare (Karpathy's char-rnn, MIT): one UTF-8 text file of 1,115,394 characters.
* Complete Tang Poems, 全唐诗 (chinese-poetry/chinese-poetry, MIT): 58 JSON files
  ``poet.tang.0.json`` ... ``poet.tang.57000.json``, 57,607 poems in traditional characters.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CHAR_RNN_COMMIT",
    "CHAR_RNN_REPO",
    "CHINESE_POETRY_COMMIT",
    "CHINESE_POETRY_REPO",
    "SHAKESPEARE",
    "TANG_POEMS",
    "PinnedFile",
]


@dataclass(frozen=True)
class PinnedFile:
    """One corpus file, pinned to an upstream commit and a SHA-256 digest.

    Attributes:
        repo: GitHub ``owner/name`` of the upstream repository.
        commit: full 40-hex-digit commit id the file is taken from.
        path: path of the file inside the upstream repository (not percent-encoded).
        mirror_path: path of the file relative to a mirror or cache folder, with ``/`` separators.
        sha256: lowercase hex SHA-256 digest of the file's bytes.
        size: size of the file in bytes (informational; the digest is what is checked).
    """

    repo: str
    commit: str
    path: str
    mirror_path: str
    sha256: str
    size: int | None = None

    @property
    def name(self) -> str:
        """The file name, e.g. ``"input.txt"``."""
        return self.path.rsplit("/", 1)[-1]


CHAR_RNN_REPO = "karpathy/char-rnn"
CHAR_RNN_COMMIT = "6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e"

CHINESE_POETRY_REPO = "chinese-poetry/chinese-poetry"
CHINESE_POETRY_COMMIT = "99ebbef7e1345c0985c44b9fd96a3f9e776f117b"

#: Tiny Shakespeare, a single plain-text file (ASCII, read as UTF-8).
SHAKESPEARE = PinnedFile(
    repo=CHAR_RNN_REPO,
    commit=CHAR_RNN_COMMIT,
    path="data/tinyshakespeare/input.txt",
    mirror_path="char-rnn/tinyshakespeare/input.txt",
    sha256="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
    size=1115394,
)

# (file number N of poet.tang.N.json, sha256, size in bytes), in increasing N.
_TANG_TABLE: tuple[tuple[int, str, int], ...] = (
    (0, "4f88f429938082523cdc72a1612bd7a7c3e3f7a33f8192c61ae51340efc3c92d", 408405),
    (1000, "6e703b8d8dcedbd6110f6d48d043665ca2131db2035a5bfcef5e59a19aeb6d75", 477519),
    (2000, "ec28efa7e2ae9cdbbba09f0ed186e32ccae47a325ad1e5816b7ad56071c1665a", 417948),
    (3000, "9e4ba2323752b6b9fbdba875cdbc6a26636fe0cabc85fd066370d4915952001f", 453811),
    (4000, "b8a7946c879b9658a6c667a4c55f776fae7e5e00a17789ab06b274c1429afc66", 488655),
    (5000, "a0306e6962cff01639ad9a00b042a201b8dec1f30fa5d768a7b112589887861e", 467225),
    (6000, "982a21d2b15922b406911f1c825785054314c686da86b2155d7aebb362d22771", 470031),
    (7000, "a6fb69d7b4343c904dc56ae5aae34facc2478d196b51c37ceba9d1e2f171b342", 474558),
    (8000, "ac3848e95b02736168003863795de4474838c2d6a71a24ca2a4a280ea5177773", 574248),
    (9000, "b99d6596e3a1fe1a661652383083f92d196b8baf4e461d087081d5e1e1b7a51f", 476882),
    (10000, "b97d1c5509ab62f5b433dee2020c11c4deda4542e276683d1ada6619c34c2113", 613029),
    (11000, "9adf1835246053c821d99af39ce9092e14a94e1baf91740098bd9fc6f6f1cd27", 445111),
    (12000, "ec43d055a219d52ecdb58cd30a8a444189392f0d68b92a41495df1c72c5fd095", 440019),
    (13000, "eb9c85072d7913bb972e07c72f0123e9d7addca22cfd833cb79a5d74b1c76ebf", 420898),
    (14000, "1e366dd3fb5a011091524bed36e4edff5d015bf0ddb14143f298515387dbd9a9", 409199),
    (15000, "0386e58f46517daa3af0e0f385e0223f1efc0dac53afbe8fea64f99074d870b7", 422310),
    (16000, "1c477aef1fc50523f9baf10f29d2d89201a14c4c73001c1c041d0fe8464d11db", 380057),
    (17000, "11bac8333b2042975b9844423d113ff2c6fdf701c8b08a5b3aaa6bc9472222de", 485658),
    (18000, "37543a147d16e3576d5f45ba8f7b8b51fc311bc10eddae9440f16f2d5ae885c2", 537556),
    (19000, "dea74b41bc807ce2527bb119862a251e3a92b6f69bdf9f98b1434a8336830542", 431381),
    (20000, "8ccf0783888b15bec60d0253e278cd4b67e94a77725df8ed079d4d8062d050b4", 477671),
    (21000, "bddae814c82bf6a9fd294504aa48794bca5f03e986110739b1577aa811125cbd", 572847),
    (22000, "d7e7efe3f67415455ae93974a5aa67427e99f6713fde27920bfb657ad3204c4a", 557450),
    (23000, "220a535a762349ec1beed00f1dc11293ccefc70bda15c5258bbcab208b14337f", 444324),
    (24000, "2f40a4ec0e4469c29f0f028d7a4ad73b83850aa271be9b63ea0c08de6e094dee", 462622),
    (25000, "7e7c00ba3f7a95e97de5440f85affa9d54b420d31995b449e97a3e9ea00259f5", 410976),
    (26000, "74b5bed25622da1611928fdb31297fafadaf2876ce32ddb0c8b6d12d772979f4", 392620),
    (27000, "11626fcc310bbbcc601f7c8c4d8a664cef4907076cd7ec4f16268ee5b921ba44", 373469),
    (28000, "86a15affa95859046f869ffd4850886250d1a181e5151b1f096f728fb2d67502", 402527),
    (29000, "e1a0cffe17b4f109399db38f2b23f9b6668b8ca1c3c24e36d5cbe4f40a925862", 432343),
    (30000, "e71996f771d15476bae48751081b473b381774b5d335f6163b183f70a2eaed01", 394062),
    (31000, "f1efaf172d4f6fa9aaacfa4160feb766189989c3264da6ce3a6d64a7c97097bb", 406846),
    (32000, "fcb2096245719199249ad23e75eac6997b5a4341564dd1cf73ce8008975b3d74", 417563),
    (33000, "35abb37f65817ee4630cfeb2db286832e505873c477e12f14693bcd20e920885", 438157),
    (34000, "4b656a62b6a187792c96a632c7e33f443eabda8b48c4fb5dfdda72cf02003095", 416020),
    (35000, "a9671b350e58b805fda88b2c17fa0bf3a05313017d28485010e6f60a69bdf945", 381490),
    (36000, "1c8e71a32743b37d318bf8beb44b8809a8079011231cf3c7106e2c59f03c55b4", 393811),
    (37000, "4c37d2d92ee6fdd73299ef13c91e17b9cbb11ef59d1e024254db1eceb95dc7ae", 376582),
    (38000, "08b2ce85e59eac59fe621921b62c15528e9dfb6a102994297703ad67e14aa83f", 400487),
    (39000, "791d0171fe1dc88cee8424ae0281f495ed0dcdf042f97f2a3fc9b37e05e9426c", 404803),
    (40000, "851d0c3cb796c7f7c63a7765e28564b2c3be3d9691c9f43f88d4d3c64034b5d8", 361783),
    (41000, "3c12f59a5103e582eed9fe6ae13affddc030a31e9956efb13cb7768296ba7396", 376339),
    (42000, "060026beb06028864bce48e8074e2690f92a1dc5a76ee91f98f2d62b5f02a15c", 390623),
    (43000, "de5e658dccbcf0d2b38312b39a2423459b88ef893830bc145d453d82887a5753", 430665),
    (44000, "8c6d550818f5390413bc58fbb3af059d3fa4a92264b1bcf84439c2b0bb043985", 400949),
    (45000, "5177a4747b785f04897c36b77d5e033b11a7bcad759d1557fdb425166b8767f3", 439632),
    (46000, "287e548147e6959306b74c862a1ebe43cdca39adee34e2c63ae5d3b5eaced1f5", 402034),
    (47000, "8b43cce475ed43b1105a12a8bdcef32ac22dc056c5f2c616a2976a4103b5d8ac", 389163),
    (48000, "8df4861e8d7bc114e91d0a5e37d193f662485cd88b8d09289cc5ac9ab243c3ed", 323882),
    (49000, "418e5a082cb70c4f85ce842affec8828a53f6296882e45339c74d553fc46495e", 402881),
    (50000, "894bf4e729932d2b48ba731a48075347cf55626c08ac9f30b2fe412ca9e4e895", 609835),
    (51000, "9bd1b263807c5c64bca773b76d4861a49af19b76184f88260d6080bb03311928", 549433),
    (52000, "1124f4b27f46bd1ffaafdda530719eddbe41858778a0a13e4557ea4eb49ffef0", 561704),
    (53000, "75841062fa939e72ee12669859933c9178b88a5c5492bc9ba84d9ef7c6f1e65a", 480142),
    (54000, "cd2ba326b80ff8490723ad9fb1ace812306f0e433b74268420165068b0a975ac", 467600),
    (55000, "3782736dfee847958363d4adeff1236f148aff3726f2964963b17b06dad2f97b", 442729),
    (56000, "274ad6e13c069e35856e53b5dee6821ad2aa9bf8b2a5f969e2eb1234fe954bca", 470081),
    (57000, "e04c137b040c1a91e16614178c189d0c30a68e1d4657ea8fde8467601e3ac121", 234965),
)


def _tang_file(number: int, sha256: str, size: int) -> PinnedFile:
    name = f"poet.tang.{number}.json"
    return PinnedFile(
        repo=CHINESE_POETRY_REPO,
        commit=CHINESE_POETRY_COMMIT,
        path=f"全唐诗/{name}",
        mirror_path=f"chinese-poetry/全唐诗/{name}",
        sha256=sha256,
        size=size,
    )


#: The 58 files of the Complete Tang Poems, in file-number order (0, 1000, ..., 57000).
TANG_POEMS: tuple[PinnedFile, ...] = tuple(
    _tang_file(number, sha256, size) for number, sha256, size in sorted(_TANG_TABLE)
)
