from __future__ import annotations

from enum import Enum, auto

import pygame


class Action(Enum):
    MOVE_LEFT = auto()
    MOVE_RIGHT = auto()
    JUMP = auto()
    PAUSE = auto()
    QUIT = auto()


KEYMAP = {
    pygame.K_LEFT: Action.MOVE_LEFT,
    pygame.K_RIGHT: Action.MOVE_RIGHT,
    pygame.K_SPACE: Action.JUMP,
    pygame.K_ESCAPE: Action.PAUSE,
}


class InputHandler:
    def __init__(self) -> None:
        self.pressed: set[Action] = set()

    def handle(self, event: pygame.event.Event) -> Action | None:
        if event.type == pygame.QUIT:
            return Action.QUIT
        if event.type == pygame.KEYDOWN:
            action = KEYMAP.get(event.key)
            if action is not None:
                self.pressed.add(action)
            return action
        if event.type == pygame.KEYUP:
            action = KEYMAP.get(event.key)
            self.pressed.discard(action)
            return None
        if event.type == pygame.JOYBUTTONDOWN:
            # handle joystick buttons the same way
            pass
        return None
