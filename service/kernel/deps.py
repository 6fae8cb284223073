"""Dependency markers shared by controllers.

Configuration objects and the actor are injected as they are: validating them per request
would cost time and, for advanced-alchemy's config dataclass, fail on its forward references.
"""

from __future__ import annotations

from typing import TypeAlias

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.di import NamedDependency
from litestar.params import SkipValidation

from service.kernel.actor import Actor
from service.settings import Settings

AlchemyDep: TypeAlias = NamedDependency[SkipValidation[SQLAlchemyAsyncConfig]]
SettingsDep: TypeAlias = NamedDependency[SkipValidation[Settings]]
ActorDep: TypeAlias = NamedDependency[SkipValidation[Actor]]
