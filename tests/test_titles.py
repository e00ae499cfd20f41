"""Comparing listed titles and names with arXiv's title and abstract."""

from __future__ import annotations

import pytest

from checker.titles import OTHER_PAPER, SAME, compare_titles, content_words, name_appears

LORA = "LoRA: Low-Rank Adaptation of Large Language Models"
TENSOR = "Acceleration of Tensor-Product Operations with Tensor Cores"
SCALING = (
    "Scaling LLM Test-Time Compute Optimally can be More Effective than Scaling Model Parameters"
)


@pytest.mark.parametrize(
    ("listed", "actual"),
    [
        ("LoRA", LORA),
        ("LoRA v2", LORA),
        ("MemGPT", "MemGPT: Towards LLMs as Operating Systems"),
        ("Parallel Decoding", "Exploring and Improving Drafts in Blockwise Parallel Decoding"),
        ("Tensor Product", TENSOR),  # DefTruth line 498: the list's catchword for the paper
        ("TensorProduct", TENSOR),
        ("Transformers", "Attention Is All You Need for Transformer Models"),
        ("Paper", SCALING),  # says nothing: nothing to compare
        ("arXiv", SCALING),
    ],
)
def test_a_short_title_sharing_a_word_is_the_same_paper(listed: str, actual: str) -> None:
    assert compare_titles(listed, actual) == (SAME, None)


@pytest.mark.parametrize(
    ("listed", "actual"),
    [
        ("HADACORE", TENSOR),  # DefTruth line 499: HadaCore carries another paper's ID
        ("Survey of NL2QL", SCALING),  # dair-ai line 804
        ("GPT-3", "Language Models are Few-Shot Learners"),  # abstract unknown
    ],
)
def test_a_short_title_sharing_no_word_is_another_paper(listed: str, actual: str) -> None:
    assert compare_titles(listed, actual) == (OTHER_PAPER, None)


def test_a_short_title_written_in_the_abstract_is_the_same_paper() -> None:
    abstract = "Here we show that scaling up ... we train GPT-3, an autoregressive language model"
    assert compare_titles("GPT-3", "Language Models are Few-Shot Learners", abstract)[0] == SAME
    assert compare_titles("GPT-4", "Language Models are Few-Shot Learners", abstract)[0] == (
        OTHER_PAPER
    )


def test_content_words_leave_out_stop_words_numbers_and_generic_words() -> None:
    assert content_words("The Survey of NL2QL 2024 [pdf]") == {"survey", "nl2ql"}


BLOOMZ_ABSTRACT = (
    "Multitask prompted finetuning (MTF) has been shown to help large language models generalize "
    "to new tasks in a zero-shot setting ... We apply MTF to the pretrained multilingual BLOOM and "
    "mT5 model families to produce finetuned variants called BLOOMZ and mT0."
)


@pytest.mark.parametrize(
    "name",
    [
        "BLOOMZ",
        "mT0",
        "bloomz",
        "BLOOMZ-7B1",
        "mT0-XXL",
        "BLOOMZ v2",
        "BLOOMZ & mT0",
        "mT0 (13B)",
        "BLOOM",
        "MTF",
    ],
)
def test_a_name_is_found_in_the_abstract(name: str) -> None:
    assert name_appears(
        name, "Crosslingual Generalization through Multitask Finetuning", BLOOMZ_ABSTRACT
    )


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("Flan-T5", "we release FlanT5 checkpoints", True),
        ("FlanT5", "the Flan-T5 model", True),
        ("Flan T5", "the Flan-T5 model", True),
        ("Llama2", "we develop Llama 2 models", True),
        ("LLaMA-2-7B", "we develop Llama 2 models", True),
        ("Vicuna-13B-v1.5", "Vicuna is", True),
        ("MQA", "a variant called multi-query attention, where", True),  # an acronym
        ("MoE", "a sparsely-gated mixture of experts layer", True),
        ("LoRA", "we propose Low-Rank Adaptation", True),
        ("HADACORE", "Acceleration of Tensor-Product Operations with Tensor Cores", False),
        ("T5", "the mT5 family", False),  # never inside a longer word
        ("OPT", "we adopt it", False),
        ("Galactica", BLOOMZ_ABSTRACT, False),
        ("Flan-PaLM", "Flan-U-PaLM 540B", False),
    ],
)
def test_name_matching_tolerates_spelling_not_other_names(
    name: str, text: str, found: bool
) -> None:
    assert name_appears(name, text) is found


@pytest.mark.parametrize(
    ("written", "title"),
    [
        (
            "[4] Multimodal Object Detection via Probabilistic Ensembling"
            " (基于概率集成的多模态目标检测) (Oral)",
            "Multimodal Object Detection via Probabilistic Ensembling",
        ),
        ("4D Panoptic LiDAR Segmentation（4D全景LiDAR分割）", "4D Panoptic LiDAR Segmentation"),
        ("DICE: Leveraging Sparsification ((DICE：利用稀疏化))", "DICE: Leveraging Sparsification"),
        ("A Detector (对抗性感知鲁棒目标检测器)(Oral))", "A Detector"),
        ("Robust Object Detection (Spotlight)", "Robust Object Detection"),
        # parentheses of the title's own stay
        ("Deep Semantic Statistics Matching (D2SM) Denoising Network",
         "Deep Semantic Statistics Matching (D2SM) Denoising Network"),
        ("YOLOv7: Trainable Bag-of-Freebies (YOLOv7)",
         "YOLOv7: Trainable Bag-of-Freebies (YOLOv7)"),
    ],
)  # fmt: skip
def test_a_translation_or_label_after_a_title_is_no_part_of_it(written: str, title: str) -> None:
    from checker.titles import clean_title

    assert clean_title(written) == title


def test_the_cjk_pattern_is_compiled_only_for_a_title_that_may_hold_cjk() -> None:
    """It takes 5 ms to compile, a warm run's share: a list without CJK text never needs it."""
    from checker import titles

    titles._cjk.cache_clear()
    assert titles.clean_title("YOLOv7: Trainable Bag-of-Freebies (YOLOv7)").endswith("(YOLOv7)")
    assert titles._cjk.cache_info().misses == 0
    written = "4D Panoptic Segmentation（4D全景分割）"
    assert titles.clean_title(written) == "4D Panoptic Segmentation"
    assert titles._cjk.cache_info().misses == 1
