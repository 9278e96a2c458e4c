"""Keyword-spotting dataset: 1 s clips, log-mel features, light augmentation."""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import torch
import torchaudio
from torch.utils.data import Dataset
from torchaudio_augment import RandomGain, TimeShift

SAMPLE_RATE = 16_000
CLIP_SAMPLES = SAMPLE_RATE


@dataclass(frozen=True)
class Item:
    path: Path
    label: int


def read_index(root: Path, split: str, labels: list[str]) -> list[Item]:
    lookup = {name: i for i, name in enumerate(labels)}
    items: list[Item] = []
    with (root / f"{split}.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["label"] in lookup:
                items.append(Item(root / row["file"], lookup[row["label"]]))
    return items


def pad_or_trim(wave: np.ndarray) -> np.ndarray:
    if len(wave) >= CLIP_SAMPLES:
        return wave[:CLIP_SAMPLES]
    return np.pad(wave, (0, CLIP_SAMPLES - len(wave)))


class KeywordDataset(Dataset):
    def __init__(self, root: Path, split: str, labels: list[str], augment: bool = False) -> None:
        self.items = read_index(root, split, labels)
        if not self.items:
            raise ValueError(f"no items for split {split!r} under {root}")
        self.augment = augment
        self.mel = torchaudio.transforms.MelSpectrogram(SAMPLE_RATE, n_fft=480, hop_length=160, n_mels=40)
        self.to_db = torchaudio.transforms.AmplitudeToDB(top_db=80)
        self.aug = torch.nn.Sequential(RandomGain(-6, 6), TimeShift(max_shift=0.1))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, idx: int) -> tuple[torch.Tensor, int]:
        item = self.items[idx]
        wave, sr = sf.read(item.path, dtype="float32")
        if sr != SAMPLE_RATE:
            raise ValueError(f"{item.path}: expected {SAMPLE_RATE} Hz, got {sr}")
        x = torch.from_numpy(pad_or_trim(wave)).unsqueeze(0)
        if self.augment and random.random() < 0.8:
            x = self.aug(x)
        return self.to_db(self.mel(x)), item.label


def class_weights(ds: KeywordDataset, n_classes: int) -> torch.Tensor:
    counts = np.bincount([i.label for i in ds.items], minlength=n_classes).astype(np.float32)
    weights = counts.sum() / np.maximum(counts, 1) / n_classes
    return torch.from_numpy(weights)


def collate(batch: list[tuple[torch.Tensor, int]]) -> tuple[torch.Tensor, torch.Tensor]:
    features = torch.stack([x for x, _ in batch])
    labels = torch.tensor([y for _, y in batch], dtype=torch.long)
    return features, labels


def spec_augment(x: torch.Tensor, freq_masks: int = 2, time_masks: int = 2, max_f: int = 8, max_t: int = 20) -> torch.Tensor:
    """Zero out random frequency bands and time spans of a (1, mels, frames) feature map."""
    x = x.clone()
    _, n_mels, n_frames = x.shape
    for _ in range(freq_masks):
        f = random.randint(0, max_f)
        f0 = random.randint(0, max(n_mels - f, 0))
        x[:, f0 : f0 + f, :] = 0
    for _ in range(time_masks):
        t = random.randint(0, max_t)
        t0 = random.randint(0, max(n_frames - t, 0))
        x[:, :, t0 : t0 + t] = 0
    return x


def split_by_speaker(items: list[Item], val_fraction: float = 0.1, seed: int = 0) -> tuple[list[Item], list[Item]]:
    """Keep each speaker's clips on one side so validation measures unseen voices."""
    speakers = sorted({i.path.name.split("_", 1)[0] for i in items})
    rng = random.Random(seed)
    rng.shuffle(speakers)
    n_val = max(1, int(len(speakers) * val_fraction))
    val_speakers = set(speakers[:n_val])
    train = [i for i in items if i.path.name.split("_", 1)[0] not in val_speakers]
    val = [i for i in items if i.path.name.split("_", 1)[0] in val_speakers]
    return train, val


def describe(ds: KeywordDataset, labels: list[str]) -> str:
    counts = np.bincount([i.label for i in ds.items], minlength=len(labels))
    width = max(len(l) for l in labels)
    return "\n".join(f"{name:<{width}}  {n:6d}" for name, n in zip(labels, counts))
