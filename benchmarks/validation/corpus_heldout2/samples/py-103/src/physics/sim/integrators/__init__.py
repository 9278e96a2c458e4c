from . import euler, verlet

INTEGRATORS = {"euler": euler.step, "verlet": verlet.step}
