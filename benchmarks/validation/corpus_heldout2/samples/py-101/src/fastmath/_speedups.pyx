# cython: boundscheck=False, wraparound=False

def moving_average(double[:] values, int window):
    cdef Py_ssize_t i, n = values.shape[0]
    cdef double acc = 0.0
    out = [0.0] * max(n - window + 1, 0)
    for i in range(n):
        acc += values[i]
        if i >= window:
            acc -= values[i - window]
        if i >= window - 1:
            out[i - window + 1] = acc / window
    return out
