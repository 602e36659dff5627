"""Realistic wrong implementations of assignment 8's graded functions (see corpus/__init__.py)."""
from . import Entry

ENTRIES = [
    # ------------------------------------------------------------------ gru_cell_forward
    Entry(function="gru_cell_forward", name="gru_update_flipped",
          bug="h_next = u * h_prev + (1 - u) * h_tilde: u and 1 - u swapped in the interpolation (Cho's convention)",
          names=r"u and 1 ?- ?u|1 ?- ?u and u|convention|invert"
                r"|interpolat\w* (is )?(reversed|flipped|swapped|the wrong way)|u ?= ?1 writes|u ?= ?0 keeps"
                r"|(reversed|flipped|swapped) (roles|weights)",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    Uu, Ur, Uh = params["Uu"], params["Ur"], params["Uh"]
    Wu, Wr, Wh = params["Wu"], params["Wr"], params["Wh"]
    bu, br, bh = params["bu"], params["br"], params["bh"]
    u = sigmoid(Uu @ x_t + Wu @ h_prev + bu)
    r = sigmoid(Ur @ x_t + Wr @ h_prev + br)
    cache = {}
    if reset_after:
        a_hh = Wh @ h_prev + params.get("bhh", 0.0)
        h_tilde = np.tanh(Uh @ x_t + bh + r * a_hh)
        cache["a_hh"] = a_hh
    else:
        h_tilde = np.tanh(Uh @ x_t + Wh @ (r * h_prev) + bh)
    # u keeps the memory, 1 - u lets the candidate in
    h_next = u * h_prev + (1 - u) * h_tilde
    cache.update(x_t=x_t, h_prev=h_prev, u=u, r=r, h_tilde=h_tilde, h_next=h_next,
                 params=params, reset_after=reset_after)
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_gates_used_swapped",
          bug="the two gates are used in each other's place: r interpolates the new state and u scales h_prev "
              "in the candidate",
          names=r"(u|update gate) and (r|reset gate) (are )?(swapped|exchanged|mixed|confused)"
                r"|(update|reset) and (update|reset) gates (are )?(swapped|exchanged|mixed|confused)"
                r"|gates (are )?(swapped|exchanged|mixed up|confused)|swap\w* (the )?(two )?gates"
                r"|\br (used )?(in place of|instead of) u\b|\bu (used )?(in place of|instead of) r\b",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    p = params
    u = sigmoid(np.dot(p["Uu"], x_t) + np.dot(p["Wu"], h_prev) + p["bu"])   # update
    r = sigmoid(np.dot(p["Ur"], x_t) + np.dot(p["Wr"], h_prev) + p["br"])   # reset
    if reset_after:
        a_hh = np.dot(p["Wh"], h_prev) + p.get("bhh", 0)
        h_tilde = np.tanh(np.dot(p["Uh"], x_t) + p["bh"] + u * a_hh)
    else:
        h_tilde = np.tanh(np.dot(p["Uh"], x_t) + np.dot(p["Wh"], u * h_prev) + p["bh"])
    h_next = r * h_tilde + (1 - r) * h_prev
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "h_tilde": h_tilde, "h_next": h_next,
             "params": params, "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = a_hh
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_reset_after_in_both_forms",
          bug="the book's form also applies r after the product, r * (Wh h_prev), instead of Wh (r * h_prev) "
              "(the reset-after form is right)",
          names=r"(reset gate|\br\b) (is )?applied (before|after)|(before|after) the (recurrent )?product"
                r"|resets? (before|after) (the product|W_?h)|scales h_prev first|order of (the )?reset",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    u = sigmoid(params["Uu"] @ x_t + params["Wu"] @ h_prev + params["bu"])
    r = sigmoid(params["Ur"] @ x_t + params["Wr"] @ h_prev + params["br"])
    # recurrent part of the candidate, bhh only exists in PyTorch's form
    bhh = params.get("bhh", 0.0) if reset_after else 0.0
    a_hh = params["Wh"] @ h_prev + bhh
    h_tilde = np.tanh(params["Uh"] @ x_t + params["bh"] + r * a_hh)
    h_next = u * h_tilde + (1 - u) * h_prev
    cache = dict(x_t=x_t, h_prev=h_prev, u=u, r=r, h_tilde=h_tilde, h_next=h_next, params=params,
                 reset_after=reset_after)
    if reset_after:
        cache["a_hh"] = a_hh
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_reset_before_in_ra_form",
          bug="reset_after=True still resets before the product: a_hh = Wh (r * h_prev) + bhh, "
              "h~ = tanh(Uh x + bh + a_hh)",
          names=r"(reset gate|\br\b) (is )?applied (before|after)|(before|after) the (recurrent )?product"
                r"|resets? (before|after) (the product|W_?h)|scales h_prev first|order of (the )?reset",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    Uu, Wu, bu = params["Uu"], params["Wu"], params["bu"]
    Ur, Wr, br = params["Ur"], params["Wr"], params["br"]
    Uh, Wh, bh = params["Uh"], params["Wh"], params["bh"]
    u = sigmoid(Uu @ x_t + Wu @ h_prev + bu)
    r = sigmoid(Ur @ x_t + Wr @ h_prev + br)
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r}
    if reset_after:
        # PyTorch: the hidden part has its own bias
        a_hh = Wh @ (r * h_prev) + params.get("bhh", 0)
        h_tilde = np.tanh(Uh @ x_t + bh + a_hh)
        cache["a_hh"] = a_hh
    else:
        h_tilde = np.tanh(Uh @ x_t + Wh @ (r * h_prev) + bh)
    h_next = u * h_tilde + (1 - u) * h_prev
    cache.update({"h_tilde": h_tilde, "h_next": h_next, "params": params, "reset_after": reset_after})
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_tanh_reset_gate",
          bug="the reset gate uses tanh instead of the sigmoid",
          names=r"reset gate.{0,40}(tanh|sigmoid)|(tanh|sigmoid).{0,40}reset gate|\br ?= ?tanh|tanh for (the )?r\b"
                r"|between 0 and 1|\(0, ?1\)",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    P = params
    # stack the three input products: rows u, r, h
    U = np.vstack([P["Uu"], P["Ur"], P["Uh"]])
    ux = U @ x_t
    n_h = h_prev.shape[0]
    ux_z, ux_r, ux_h = ux[:n_h], ux[n_h:2 * n_h], ux[2 * n_h:]
    u = sigmoid(ux_z + P["Wu"] @ h_prev + P["bu"])
    r = np.tanh(ux_r + P["Wr"] @ h_prev + P["br"])
    cache = {}
    if reset_after:
        a_hh = P["Wh"] @ h_prev + P.get("bhh", 0.0)
        h_tilde = np.tanh(ux_h + P["bh"] + r * a_hh)
        cache["a_hh"] = a_hh
    else:
        h_tilde = np.tanh(ux_h + P["Wh"] @ (r * h_prev) + P["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache.update(x_t=x_t, h_prev=h_prev, u=u, r=r, h_tilde=h_tilde, h_next=h_next, params=params,
                 reset_after=reset_after)
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_sigmoid_candidate",
          bug="the candidate uses the sigmoid instead of tanh",
          names=r"candidate.{0,40}(tanh|sigmoid)|(tanh|sigmoid).{0,40}candidate|h~.{0,20}(tanh|sigmoid)|\(-1, ?1\)",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    u = sigmoid(params["Uu"] @ x_t + params["Wu"] @ h_prev + params["bu"])
    r = sigmoid(params["Ur"] @ x_t + params["Wr"] @ h_prev + params["br"])
    if reset_after:
        a_hh = params["Wh"] @ h_prev + params.get("bhh", 0.0)
        h_tilde = sigmoid(params["Uh"] @ x_t + params["bh"] + r * a_hh)
    else:
        h_tilde = sigmoid(params["Uh"] @ x_t + params["Wh"] @ (r * h_prev) + params["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "h_tilde": h_tilde, "h_next": h_next,
             "params": params, "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = a_hh
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_candidate_no_bias",
          bug="the candidate's bias bh is left out (both forms)",
          names=r"(missing|without|forg[eo]t\w*|no|lacks?|leaves? out)\W+(the )?(candidate'?s? )?(bias )?b_?h\b"
                r"|\bb_?h\b (is )?(missing|left out|forgotten)|candidate'?s? bias|bias (b_?h )?of the candidate",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    Uu, Ur, Uh = params["Uu"], params["Ur"], params["Uh"]
    Wu, Wr, Wh = params["Wu"], params["Wr"], params["Wh"]
    u = sigmoid(Uu @ x_t + Wu @ h_prev + params["bu"])
    r = sigmoid(Ur @ x_t + Wr @ h_prev + params["br"])
    if reset_after:
        a_hh = Wh @ h_prev + params.get("bhh", 0.0)
        h_tilde = np.tanh(Uh @ x_t + r * a_hh)
    else:
        h_tilde = np.tanh(Uh @ x_t + Wh @ (r * h_prev))
    h_next = u * h_tilde + (1 - u) * h_prev
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "h_tilde": h_tilde, "h_next": h_next,
             "params": params, "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = a_hh
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_bhh_outside_reset",
          bug="reset-after form: bhh added outside the reset gate, tanh(Uh x + bh + bhh + r * (Wh h_prev)), "
              "and a_hh cached without bhh",
          names=r"b_?hh.{0,40}(outside|inside|part of|scaled by r|under r)|(outside|inside) the reset gate"
                r"|bias (of|in) the recurrent term",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    u = sigmoid(params["Uu"] @ x_t + params["Wu"] @ h_prev + params["bu"])
    r = sigmoid(params["Ur"] @ x_t + params["Wr"] @ h_prev + params["br"])
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r}
    if reset_after:
        a_hh = params["Wh"] @ h_prev
        b = params["bh"] + params.get("bhh", 0.0)    # both candidate biases together
        h_tilde = np.tanh(params["Uh"] @ x_t + b + r * a_hh)
        cache["a_hh"] = a_hh
    else:
        h_tilde = np.tanh(params["Uh"] @ x_t + params["Wh"] @ (r * h_prev) + params["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache["h_tilde"] = h_tilde
    cache["h_next"] = h_next
    cache["params"] = params
    cache["reset_after"] = reset_after
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_recurrent_weights_transposed",
          bug="every recurrent weight matrix is used transposed: Wu.T h_prev, Wr.T h_prev, Wh.T (...)",
          names=r"transpos|orient|rows? and columns",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    p = params
    u = sigmoid(p["Uu"] @ x_t + p["Wu"].T @ h_prev + p["bu"])
    r = sigmoid(p["Ur"] @ x_t + p["Wr"].T @ h_prev + p["br"])
    cache = {}
    if reset_after:
        a_hh = p["Wh"].T @ h_prev + p.get("bhh", 0.0)
        h_tilde = np.tanh(p["Uh"] @ x_t + p["bh"] + r * a_hh)
        cache["a_hh"] = a_hh
    else:
        h_tilde = np.tanh(p["Uh"] @ x_t + p["Wh"].T @ (r * h_prev) + p["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache.update({"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "h_tilde": h_tilde, "h_next": h_next,
                  "params": params, "reset_after": reset_after})
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_cache_pre_activation",
          bug="the cache's h_tilde holds the candidate's pre-activation (the argument of tanh), not h~",
          names=r"pre-?activation|before the tanh|argument of (the )?tanh|(without|missing) (the )?tanh"
                r"|tanh (is )?(not )?applied",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    u = sigmoid(params["Uu"] @ x_t + params["Wu"] @ h_prev + params["bu"])
    r = sigmoid(params["Ur"] @ x_t + params["Wr"] @ h_prev + params["br"])
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "params": params, "reset_after": reset_after}
    if reset_after:
        a_hh = params["Wh"] @ h_prev + params.get("bhh", 0.0)
        cache["a_hh"] = a_hh
        a_h = params["Uh"] @ x_t + params["bh"] + r * a_hh
    else:
        a_h = params["Uh"] @ x_t + params["Wh"] @ (r * h_prev) + params["bh"]
    cache["h_tilde"] = a_h          # keep the argument, the backward pass needs tanh'(a_h)
    h_next = u * np.tanh(a_h) + (1 - u) * h_prev
    cache["h_next"] = h_next
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_reads_bhh_always",
          bug="params['bhh'] is read unconditionally, so the book's form (which has no bhh) raises a KeyError",
          names=r"'bhh'|no bhh|without bhh|bhh (is )?(optional|absent|missing|not (there|present|given))|KeyError",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    Uu, Ur, Uh = params["Uu"], params["Ur"], params["Uh"]
    Wu, Wr, Wh = params["Wu"], params["Wr"], params["Wh"]
    bu, br, bh, bhh = params["bu"], params["br"], params["bh"], params["bhh"]
    u = sigmoid(Uu @ x_t + Wu @ h_prev + bu)
    r = sigmoid(Ur @ x_t + Wr @ h_prev + br)
    cache = {}
    if reset_after:
        a_hh = Wh @ h_prev + bhh
        h_tilde = np.tanh(Uh @ x_t + bh + r * a_hh)
        cache["a_hh"] = a_hh
    else:
        h_tilde = np.tanh(Uh @ x_t + Wh @ (r * h_prev) + bh)
    h_next = u * h_tilde + (1 - u) * h_prev
    cache.update(x_t=x_t, h_prev=h_prev, u=u, r=r, h_tilde=h_tilde, h_next=h_next, params=params,
                 reset_after=reset_after)
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_elementwise_recurrent_product",
          bug="the candidate's recurrent term uses the elementwise product Wh * (r * h_prev) instead of the matrix "
              "product (it broadcasts silently when m = 1 or n_h = 1 or m = n_h)",
          names=r"matrix (product|multiplication)|np\.dot|element-?wise|\* instead of @|@ instead of \*",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    u = sigmoid(params["Uu"] @ x_t + params["Wu"] @ h_prev + params["bu"])
    r = sigmoid(params["Ur"] @ x_t + params["Wr"] @ h_prev + params["br"])
    cache = {}
    if reset_after:
        a_hh = params["Wh"] @ h_prev + params.get("bhh", 0.0)
        h_tilde = np.tanh(params["Uh"] @ x_t + params["bh"] + r * a_hh)
        cache["a_hh"] = a_hh
    else:
        h_tilde = np.tanh(params["Uh"] @ x_t + params["Wh"] * (r * h_prev) + params["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache.update(x_t=x_t, h_prev=h_prev, u=u, r=r, h_tilde=h_tilde, h_next=h_next, params=params,
                 reset_after=reset_after)
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_two_no_bz_no_flag",
          bug="two bugs: the update gate has no bias bu, and the cache has no 'reset_after' key",
          names=r"(missing|without|forg[eo]t\w*|no|lacks?|leaves? out)\W+(the )?(update gate'?s? )?(bias )?b_?u\b"
                r"|\bb_?u\b (is )?(missing|left out|forgotten)|update gate'?s? bias|'?reset_after'? (key|entry)"
                r"|(no|missing) (entry|key) '?reset_after",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    u = sigmoid(params["Uu"] @ x_t + params["Wu"] @ h_prev)
    r = sigmoid(params["Ur"] @ x_t + params["Wr"] @ h_prev + params["br"])
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "params": params}
    if reset_after:
        a_hh = params["Wh"] @ h_prev + params.get("bhh", 0.0)
        cache["a_hh"] = a_hh
        h_tilde = np.tanh(params["Uh"] @ x_t + params["bh"] + r * a_hh)
    else:
        h_tilde = np.tanh(params["Uh"] @ x_t + params["Wh"] @ (r * h_prev) + params["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache["h_tilde"], cache["h_next"] = h_tilde, h_next
    return h_next, cache
'''),
    Entry(function="gru_cell_forward", name="gru_two_pytorch_branch",
          bug="two bugs, reset-after form only (copied from PyTorch's docs): h_next = (1 - u) * h~ + u * h_prev, "
              "and a_hh is not cached",
          names=r"u and 1 ?- ?u|1 ?- ?u and u|convention|invert"
                r"|interpolat\w* (is )?(reversed|flipped|swapped|the wrong way)|u ?= ?1 writes|u ?= ?0 keeps"
                r"|(reversed|flipped|swapped) (roles|weights)|(no|missing|lacks?) (entry |key )?'?a_hh"
                r"|a_hh'? (is )?(missing|not (cached|stored|stacked|kept))",
          source='''
def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    p = params
    u = sigmoid(p["Uu"] @ x_t + p["Wu"] @ h_prev + p["bu"])
    r = sigmoid(p["Ur"] @ x_t + p["Wr"] @ h_prev + p["br"])
    if reset_after:
        # as in torch.nn.GRU: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - u) * n + u * h
        n = np.tanh(p["Uh"] @ x_t + p["bh"] + r * (p["Wh"] @ h_prev + p.get("bhh", 0.0)))
        h_next = (1 - u) * n + u * h_prev
        h_tilde = n
    else:
        h_tilde = np.tanh(p["Uh"] @ x_t + p["Wh"] @ (r * h_prev) + p["bh"])
        h_next = u * h_tilde + (1 - u) * h_prev
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "h_tilde": h_tilde, "h_next": h_next,
             "params": params, "reset_after": reset_after}
    return h_next, cache
'''),

    # ------------------------------------------------------------------ gru_forward
    Entry(function="gru_forward", name="seq_h0_every_step",
          bug="every step starts from h0: the state is not carried from step to step",
          names=r"(not|never) carried|carr\w* (the state|over|from step|across)|h0 at every"
                r"|every step (starts )?from h0|each step from h0|restart|reset to h0|previous step'?s? state"
                r"|state of the previous step|feed\w* (the|its) (new )?state back",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    u = np.zeros((n_h, m, T))
    r = np.zeros((n_h, m, T))
    h_tilde = np.zeros((n_h, m, T))
    a_hh = np.zeros((n_h, m, T))
    for t in range(T):
        h_t, c = gru_cell_forward(x[:, :, t], h0, params, reset_after)
        h[:, :, t] = h_t
        u[:, :, t] = c["u"]
        r[:, :, t] = c["r"]
        h_tilde[:, :, t] = c["h_tilde"]
        if reset_after:
            a_hh[:, :, t] = c["a_hh"]
    cache = {"x": x, "h0": h0, "u": u, "r": r, "h_tilde": h_tilde, "h": h, "params": params,
             "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = a_hh
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_h0_ignored",
          bug="the sequence starts from a zero state instead of h0",
          names=r"h0 (is )?ignored|ignor\w* h0|initial state|from zeros|zero state|h\^\{?<0>\}?"
                r"|start\w* from (zero|h0)|not h0|instead of h0|from h0",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    n_h = params["Wu"].shape[0]
    keys = ["u", "r", "h_tilde"]
    if reset_after:
        keys.append("a_hh")
    cache = {k: np.zeros((n_h, m, T)) for k in keys}
    h = np.zeros((n_h, m, T))
    h_prev = np.zeros((n_h, m))          # start from an empty memory
    for t in range(T):
        h_prev, step = gru_cell_forward(x[:, :, t], h_prev, params, reset_after)
        h[:, :, t] = h_prev
        for k in keys:
            cache[k][:, :, t] = step[k]
    cache.update(x=x, h0=h0, h=h, params=params, reset_after=reset_after)
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_state_stored_before_step",
          bug="h[:, :, t] holds the state before step t (h0 first), not the state after reading x[:, :, t]",
          names=r"off.by.one|shift|after (reading|step)|h\[:, ?:, ?t\]|one step (late|behind|early)|h0 first",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_h, m = h0.shape
    T = x.shape[2]
    h = np.zeros((n_h, m, T))
    gates = {"u": [], "r": [], "h_tilde": [], "a_hh": []}
    h_prev = h0
    for t in range(T):
        h[:, :, t] = h_prev
        h_prev, c = gru_cell_forward(x[:, :, t], h_prev, params, reset_after)
        for k in gates:
            if k in c:
                gates[k].append(c[k])
    cache = {"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after}
    for k, v in gates.items():
        if v:
            cache[k] = np.stack(v, axis=2)
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_two_last_step_only_no_a_hh",
          bug="two bugs: the cache's u, r, h_tilde hold only the last step's (n_h, m) arrays, not stacked over time, "
              "and a_hh is not cached in the reset-after form",
          names=r"stack|over time|per step|each step's|every step's|only the last|last step only|time axis"
                r"|\(n_h, ?m, ?T\)|(no|missing|lacks?) (entry |key )?'?a_hh"
                r"|a_hh'? (is )?(missing|not (cached|stored|stacked|kept))",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    T = x.shape[-1]
    h = np.zeros((h0.shape[0], h0.shape[1], T))
    h_t = h0
    for t in range(T):
        h_t, step_cache = gru_cell_forward(x[:, :, t], h_t, params, reset_after)
        h[:, :, t] = h_t
    cache = {"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after,
             "u": step_cache["u"], "r": step_cache["r"], "h_tilde": step_cache["h_tilde"]}
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_no_a_hh",
          bug="reset-after form: a_hh is not stacked into the cache",
          names=r"(no|missing|lacks?) (entry |key )?'?a_hh|a_hh'? (is )?(missing|not (cached|stored|stacked|kept))",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h, u, r, ht = (np.zeros((n_h, m, T)) for _ in range(4))
    h_prev = h0
    for t in range(T):
        h_prev, c = gru_cell_forward(x[:, :, t], h_prev, params, reset_after=reset_after)
        h[:, :, t], u[:, :, t], r[:, :, t], ht[:, :, t] = h_prev, c["u"], c["r"], c["h_tilde"]
    cache = {"x": x, "h0": h0, "u": u, "r": r, "h_tilde": ht, "h": h, "params": params,
             "reset_after": reset_after}
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_flag_not_passed",
          bug="reset_after is not passed on to gru_cell_forward, so the reset-after form runs the book's form "
              "(and has no a_hh)",
          names=r"not passed|pass\w* (it )?(on|through|along|to)|flag|ignor\w* (the )?(reset_after|flag)"
                r"|reset_after (is )?ignored|book's form|reset_after=False|(computes|runs|ran) the book",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    stacked = {}
    h_t = h0
    for t in range(T):
        h_t, c = gru_cell_forward(x[:, :, t], h_t, params)
        h[:, :, t] = h_t
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in c:
                stacked.setdefault(k, np.zeros((n_h, m, T)))[:, :, t] = c[k]
    cache = {"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after, **stacked}
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_wrong_time_axis",
          bug="the step input is sliced on the wrong axis: x[:, t] (example t) instead of x[:, :, t]",
          names=r"x\[:, ?t\]|time axis|(wrong|third|last) (axis|dimension)|slic\w* (of )?x\b|x (is )?sliced"
                r"|(example|batch) axis",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    names = ["u", "r", "h_tilde"] + (["a_hh"] if reset_after else [])
    stored = {k: np.zeros((n_h, m, T)) for k in names}
    h_t = h0
    for t in range(T):
        x_t = x[:, t]
        h_t, step = gru_cell_forward(x_t, h_t, params, reset_after)
        h[:, :, t] = h_t
        for k in names:
            stored[k][:, :, t] = step[k]
    return h, {"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after, **stored}
'''),
    Entry(function="gru_forward", name="seq_zeros_like_x",
          bug="the output arrays are made with np.zeros_like(x), shape (n_x, m, T) instead of (n_h, m, T)",
          names=r"zeros_like|\(n_x, ?m, ?T\)|n_x rows|n_h rows|shape of x|x'?s shape|like x|sized? (by|with) n_x",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    T = x.shape[2]
    h = np.zeros_like(x)
    u, r, h_tilde = np.zeros_like(x), np.zeros_like(x), np.zeros_like(x)
    a_hh = np.zeros_like(x)
    h_t = h0
    for t in range(T):
        h_t, c = gru_cell_forward(x[:, :, t], h_t, params, reset_after)
        h[:, :, t] = h_t
        u[:, :, t] = c["u"]
        r[:, :, t] = c["r"]
        h_tilde[:, :, t] = c["h_tilde"]
        if reset_after:
            a_hh[:, :, t] = c["a_hh"]
    cache = {"x": x, "h0": h0, "u": u, "r": r, "h_tilde": h_tilde, "h": h, "params": params,
             "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = a_hh
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_range_T_minus_1",
          bug="the loop runs range(T - 1): the last step is never computed (all zeros; nothing at all when T = 1)",
          names=r"last step (is )?(never|not|missing|skipped|zero)|range\(|T ?- ?1|step T\b|missing step"
                r"|(not|never) computed|skip",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_h, m = h0.shape
    T = x.shape[2]
    keys = ["u", "r", "h_tilde", "a_hh"] if reset_after else ["u", "r", "h_tilde"]
    cache = {key: np.zeros((n_h, m, T)) for key in keys}
    h = np.zeros((n_h, m, T))
    state = h0
    for t in range(T - 1):
        state, c = gru_cell_forward(x[:, :, t], state, params, reset_after)
        h[:, :, t] = state
        for key in keys:
            cache[key][:, :, t] = c[key]
    cache.update({"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after})
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_cache_list_of_steps",
          bug="the cache is a list of the per-step caches (another course's layout), not the dict of stacked arrays",
          names=r"\bdict\b|\blist\b|tuple|cache (type|format|layout)",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    caches = []
    h_next = h0
    for t in range(T):
        h_next, cache_t = gru_cell_forward(x[:, :, t], h_next, params, reset_after)
        h[:, :, t] = h_next
        caches.append(cache_t)
    return h, caches
'''),
    Entry(function="gru_forward", name="seq_cache_h_with_h0",
          bug="cache['h'] has h0 prepended, (n_h, m, T + 1), while the returned h is right",
          names=r"T ?\+ ?1|prepend|extra (step|column|slice|state)|includ\w* h0|with h0"
                r"|h0 (is )?(included|added|stored|first)|one (step|state) too many",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    hs = np.zeros((n_h, m, T + 1))       # hs[:, :, 0] = h0, handy for the backward pass
    hs[:, :, 0] = h0
    parts = {k: np.zeros((n_h, m, T)) for k in ("u", "r", "h_tilde")}
    if reset_after:
        parts["a_hh"] = np.zeros((n_h, m, T))
    for t in range(T):
        hs[:, :, t + 1], c = gru_cell_forward(x[:, :, t], hs[:, :, t], params, reset_after)
        for k in parts:
            parts[k][:, :, t] = c[k]
    h = hs[:, :, 1:]
    cache = {"x": x, "h0": h0, "h": hs, "params": params, "reset_after": reset_after}
    cache.update(parts)
    return h, cache
'''),
    Entry(function="gru_forward", name="seq_two_shift_no_a_hh",
          bug="two bugs: h[:, :, t] holds the state before step t (off by one), and a_hh is not cached",
          names=r"off.by.one|shift|after (reading|step)|h\[:, ?:, ?t\]|one step (late|behind|early)"
                r"|(no|missing|lacks?) (entry |key )?'?a_hh|a_hh'? (is )?(missing|not (cached|stored|stacked|kept))",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_h, m = h0.shape
    T = x.shape[2]
    h = np.zeros((n_h, m, T))
    u = np.zeros((n_h, m, T))
    r = np.zeros((n_h, m, T))
    h_tilde = np.zeros((n_h, m, T))
    h_prev = h0
    for t in range(T):
        h_next, c = gru_cell_forward(x[:, :, t], h_prev, params, reset_after)
        h[:, :, t] = h_prev
        u[:, :, t], r[:, :, t], h_tilde[:, :, t] = c["u"], c["r"], c["h_tilde"]
        h_prev = h_next
    return h, {"x": x, "h0": h0, "u": u, "r": r, "h_tilde": h_tilde, "h": h, "params": params,
               "reset_after": reset_after}
'''),
    Entry(function="gru_forward", name="seq_two_h0_every_step_no_params",
          bug="two bugs: every step starts from h0 (state not carried), and the cache has no 'params'",
          names=r"(not|never) carried|carr\w* (the state|over|from step|across)|h0 at every"
                r"|every step (starts )?from h0|each step from h0|restart|reset to h0|previous step'?s? state"
                r"|state of the previous step|'params'|no (entry|key) '?params",
          source='''
def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    out = {k: [] for k in ("h", "u", "r", "h_tilde", "a_hh")}
    for t in range(T):
        h_t, c = gru_cell_forward(x[:, :, t], h0, params, reset_after)
        out["h"].append(h_t)
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in c:
                out[k].append(c[k])
    cache = {k: np.stack(v, axis=-1) for k, v in out.items() if v}
    cache["x"] = x
    cache["h0"] = h0
    cache["reset_after"] = reset_after
    return cache["h"], cache
'''),

    # ------------------------------------------------------------------ gru_cell_backward
    Entry(function="gru_cell_backward", name="bwd_no_sigmoid_derivative_z",
          bug="da_u = dh * (h~ - h_prev): the update gate's sigmoid derivative u * (1 - u) is missing",
          names=r"sigmoid'?s? derivative|derivative of the sigmoid|u ?\* ?\(1 ?- ?u\)|u ?\(1 ?- ?u\)|sigma'|σ'",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev = cache["x_t"], cache["h_prev"]
    u, r, h_tilde = cache["u"], cache["r"], cache["h_tilde"]
    da_h = dh_next * u * (1 - h_tilde ** 2)
    da_u = dh_next * (h_tilde - h_prev)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev += p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = np.sum(da_hh, axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev += ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev += p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    grads["dUu"], grads["dUr"], grads["dUh"] = da_u @ x_t.T, da_r @ x_t.T, da_h @ x_t.T
    grads["dWu"], grads["dWr"] = da_u @ h_prev.T, da_r @ h_prev.T
    grads["dbu"] = np.sum(da_u, axis=1, keepdims=True)
    grads["dbr"] = np.sum(da_r, axis=1, keepdims=True)
    grads["dbh"] = np.sum(da_h, axis=1, keepdims=True)
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_no_tanh_derivative",
          bug="da_h = dh * u: the tanh derivative 1 - h~**2 is missing",
          names=r"tanh'?s? derivative|derivative of (the )?tanh|1 ?- ?h_?(tilde|~) ?(\*\*|\^) ?2|tanh'",
          source='''
def gru_cell_backward(dh_next, cache):
    Uu, Ur, Uh = (cache["params"][k] for k in ("Uu", "Ur", "Uh"))
    Wu, Wr, Wh = (cache["params"][k] for k in ("Wu", "Wr", "Wh"))
    x, hp, u, r, ht = cache["x_t"], cache["h_prev"], cache["u"], cache["r"], cache["h_tilde"]
    da_h = dh_next * u                        # through h~
    da_u = dh_next * (ht - hp) * u * (1 - u)  # through u
    out = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_cand = Wh.T @ da_hh
        out["dWh"] = da_hh @ hp.T
        if "bhh" in cache["params"]:
            out["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = Wh.T @ da_h
        dr = ds * hp
        dh_cand = ds * r
        out["dWh"] = da_h @ (r * hp).T
    da_r = dr * r * (1 - r)
    out["dh_prev"] = dh_next * (1 - u) + dh_cand + Wu.T @ da_u + Wr.T @ da_r
    out["dx_t"] = Uu.T @ da_u + Ur.T @ da_r + Uh.T @ da_h
    out["dUu"], out["dUr"], out["dUh"] = da_u @ x.T, da_r @ x.T, da_h @ x.T
    out["dWu"], out["dWr"] = da_u @ hp.T, da_r @ hp.T
    out["dbu"] = da_u.sum(axis=1, keepdims=True)
    out["dbr"] = da_r.sum(axis=1, keepdims=True)
    out["dbh"] = da_h.sum(axis=1, keepdims=True)
    return out
'''),
    Entry(function="gru_cell_backward", name="bwd_no_memory_path",
          bug="dh_prev misses the direct (memory) path dh * (1 - u)",
          names=r"memory path|direct (path|route|term)|dh(_next)? ?\* ?\(1 ?- ?u\)|shortcut|copy path",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    g = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = p["Wh"].T @ da_hh
        g["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            g["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = ds * r
        g["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    # the two gates also read h_prev
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    g["dh_prev"] = dh_prev
    g["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    for name, da in (("u", da_u), ("r", da_r), ("h", da_h)):
        g["dU" + name] = da @ x_t.T
        g["db" + name] = da.sum(axis=1, keepdims=True)
    g["dWu"] = da_u @ h_prev.T
    g["dWr"] = da_r @ h_prev.T
    return g
'''),
    Entry(function="gru_cell_backward", name="bwd_no_reset_gate_route",
          bug="dh_prev misses the reset gate's route W_r^T da_r",
          names=r"W_?r(\^T|\.T)|reset gate'?s? (route|path|term)|(route|path) through (the )?reset gate|through r\b",
          source='''
def gru_cell_backward(dh_next, cache):
    params = cache["params"]
    x_t, h_prev = cache["x_t"], cache["h_prev"]
    u, r, h_tilde = cache["u"], cache["r"], cache["h_tilde"]
    da_h = dh_next * u * (1 - h_tilde ** 2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        d_cand = params["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in params:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = params["Wh"].T @ da_h
        dr = ds * h_prev
        d_cand = ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    # old state: kept part, candidate, update gate
    grads["dh_prev"] = dh_next * (1 - u) + d_cand + params["Wu"].T @ da_u
    grads["dx_t"] = params["Uu"].T @ da_u + params["Ur"].T @ da_r + params["Uh"].T @ da_h
    grads["dUu"] = da_u @ x_t.T
    grads["dUr"] = da_r @ x_t.T
    grads["dUh"] = da_h @ x_t.T
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    grads["dbu"] = da_u.sum(axis=1, keepdims=True)
    grads["dbr"] = da_r.sum(axis=1, keepdims=True)
    grads["dbh"] = da_h.sum(axis=1, keepdims=True)
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_candidate_route_without_r",
          bug="book's form: the candidate's route into h_prev is Wh^T da_h without the factor r",
          names=r"ds ?\* ?r\b|\(W_?h(\^T|\.T) ?@? ?da_h\) ?\* ?r\b|candidate'?s? (route|path).{0,40}\br\b"
                r"|(missing|without|forgot\w*) (the )?(factor )?r\b|factor r\b|scaled by r\b|times r\b",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds          # Wh^T da_h goes back to h_prev
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    for g, da in (("u", da_u), ("r", da_r), ("h", da_h)):
        grads["dU" + g] = da @ x_t.T
        grads["db" + g] = da.sum(axis=1, keepdims=True)
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_dWh_with_h_prev",
          bug="book's form: dWh = da_h h_prev^T instead of da_h (r * h_prev)^T",
          names=r"r ?\* ?h_prev|\bs ?= ?r|(pairs?|paired) with s\b|not (with )?h_prev|instead of h_prev",
          source='''
def gru_cell_backward(dh_next, cache):
    params = cache["params"]
    x_t, h_prev = cache["x_t"], cache["h_prev"]
    u, r, h_tilde = cache["u"], cache["r"], cache["h_tilde"]
    d_htilde = dh_next * u
    da_h = d_htilde * (1 - h_tilde ** 2)
    du = dh_next * (h_tilde - h_prev)
    da_u = du * u * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_cand = params["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in params:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = params["Wh"].T @ da_h
        dr = ds * h_prev
        dh_cand = ds * r
        grads["dWh"] = da_h @ h_prev.T
    da_r = dr * r * (1 - r)
    grads["dh_prev"] = dh_next * (1 - u) + dh_cand + params["Wu"].T @ da_u + params["Wr"].T @ da_r
    grads["dx_t"] = params["Uu"].T @ da_u + params["Ur"].T @ da_r + params["Uh"].T @ da_h
    grads["dUu"], grads["dWu"], grads["dbu"] = da_u @ x_t.T, da_u @ h_prev.T, da_u.sum(1, keepdims=True)
    grads["dUr"], grads["dWr"], grads["dbr"] = da_r @ x_t.T, da_r @ h_prev.T, da_r.sum(1, keepdims=True)
    grads["dUh"], grads["dbh"] = da_h @ x_t.T, da_h.sum(1, keepdims=True)
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_ra_da_hh_without_r",
          bug="reset-after form: da_hh = da_h, the factor r is forgotten (dWh, dbhh and dh_prev wrong)",
          names=r"da_hh ?= ?da_h ?\* ?r|da_hh (is )?(wrong|missing|lacks)"
                r"|(missing|without|forgot\w*) (the )?(factor )?r\b|factor r\b|times r\b|scaled by r\b",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = cache["x_t"], cache["h_prev"], cache["u"], cache["r"], cache["h_tilde"]
    da_h = dh_next * u * (1 - h_tilde ** 2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        # a_hh enters the candidate's sum directly
        da_hh = da_h
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    grads["dUu"], grads["dUr"], grads["dUh"] = da_u @ x_t.T, da_r @ x_t.T, da_h @ x_t.T
    grads["dWu"], grads["dWr"] = da_u @ h_prev.T, da_r @ h_prev.T
    grads["dbu"] = da_u.sum(axis=1, keepdims=True)
    grads["dbr"] = da_r.sum(axis=1, keepdims=True)
    grads["dbh"] = da_h.sum(axis=1, keepdims=True)
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_ra_dr_recomputed_without_bhh",
          bug="reset-after form: dr = da_h * (Wh h_prev), recomputed without bhh instead of reading a_hh from "
              "the cache",
          names=r"dr ?= ?da_h ?\* ?a_hh|a_hh from the cache|read a_hh|cached a_hh|without (b_?hh|bhh)"
                r"|(b_?hh|bhh) (is )?(missing|left out|forgotten)|recomput",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * (p["Wh"] @ h_prev)       # h~ = tanh(... + r * (Wh h_prev))
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    for g, da in (("u", da_u), ("r", da_r), ("h", da_h)):
        grads["dU" + g] = da @ x_t.T
        grads["db" + g] = da.sum(axis=1, keepdims=True)
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_db_mean_over_batch",
          bug="the bias gradients are averaged over the batch (np.mean) instead of summed",
          names=r"\bmean\b|averag|divid|/ ?m\b|1 ?/ ?m\b|sum\w* over the batch|not summed|instead of summ",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = np.mean(da_hh, axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    for g, da in (("u", da_u), ("r", da_r), ("h", da_h)):
        grads["dU" + g] = da @ x_t.T
        grads["db" + g] = np.mean(da, axis=1, keepdims=True)    # average over the examples
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_dW_transposed",
          bug="the recurrent weight gradients are transposed: dWu = h_prev da_u^T, dWr = h_prev da_r^T, "
              "dWh = s da_h^T (or h_prev da_hh^T)",
          names=r"transpos|orient|outer product.{0,30}order",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + np.dot(p["Wh"].T, da_hh)
        grads["dWh"] = np.dot(h_prev, da_hh.T)
        if "bhh" in p:
            grads["dbhh"] = np.sum(da_hh, axis=1, keepdims=True)
    else:
        ds = np.dot(p["Wh"].T, da_h)
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = np.dot(r * h_prev, da_h.T)
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + np.dot(p["Wu"].T, da_u) + np.dot(p["Wr"].T, da_r)
    grads["dx_t"] = np.dot(p["Uu"].T, da_u) + np.dot(p["Ur"].T, da_r) + np.dot(p["Uh"].T, da_h)
    grads["dh_prev"] = dh_prev
    grads["dUu"] = np.dot(da_u, x_t.T)
    grads["dUr"] = np.dot(da_r, x_t.T)
    grads["dUh"] = np.dot(da_h, x_t.T)
    grads["dWu"] = np.dot(h_prev, da_u.T)
    grads["dWr"] = np.dot(h_prev, da_r.T)
    grads["dbu"] = np.sum(da_u, axis=1, keepdims=True)
    grads["dbr"] = np.sum(da_r, axis=1, keepdims=True)
    grads["dbh"] = np.sum(da_h, axis=1, keepdims=True)
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_dh_next_changed_in_place",
          bug="dh_prev = dh_next; dh_prev *= (1 - u) changes dh_next in place before da_h and da_u read it",
          names=r"in.?place|alias|modifie|overwr|\bcopy\b|dh_next (is )?changed",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    # start dh_prev with the memory path
    dh_prev = dh_next
    dh_prev *= 1 - u
    da_h = dh_next * u * (1 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev += p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev += ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev += p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    for g, da in (("u", da_u), ("r", da_r), ("h", da_h)):
        grads["dU" + g] = da @ x_t.T
        grads["db" + g] = da.sum(axis=1, keepdims=True)
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_da_z_sign",
          bug="da_u = dh * (h_prev - h~) * u * (1 - u): the sign of the update gate's gradient is flipped",
          names=r"\bsign\b|negat|opposite|h_prev ?- ?h(~|_tilde)|reversed difference|-1 times|times -1",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev = cache["x_t"], cache["h_prev"]
    u, r, h_tilde = cache["u"], cache["r"], cache["h_tilde"]
    da_h = dh_next * u * (1 - h_tilde ** 2)
    # dh/du: u weighs the old state against the candidate
    da_u = dh_next * (h_prev - h_tilde) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    grads["dUu"], grads["dUr"], grads["dUh"] = da_u @ x_t.T, da_r @ x_t.T, da_h @ x_t.T
    grads["dWu"], grads["dWr"] = da_u @ h_prev.T, da_r @ h_prev.T
    grads["dbu"], grads["dbr"], grads["dbh"] = (d.sum(axis=1, keepdims=True) for d in (da_u, da_r, da_h))
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_two_dx_no_r_db_flat",
          bug="two bugs: dx_t misses Ur^T da_r, and the bias gradients are summed without keepdims, (n_h,) "
              "instead of (n_h, 1)",
          names=r"U_?r(\^T|\.T)|reset gate.{0,30}(dx|input)|dx_t (misses|lacks)|\(n_h, ?1\)|keepdims|1-?d\b"
                r"|has shape \(\d+,\)|\(n_h,\)",
          source='''
def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = np.sum(da_hh, axis=1)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Uh"].T @ da_h     # x feeds u and h~
    grads["dh_prev"] = dh_prev
    for g, da in (("u", da_u), ("r", da_r), ("h", da_h)):
        grads["dU" + g] = da @ x_t.T
        grads["db" + g] = np.sum(da, axis=1)
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    return grads
'''),
    Entry(function="gru_cell_backward", name="bwd_two_tanh_twice_no_dbhh",
          bug="two bugs: the tanh derivative is taken as 1 - tanh(h~)**2 (tanh applied twice), and dbhh is never "
              "returned in the reset-after form",
          names=r"tanh'?s? derivative|derivative of (the )?tanh|1 ?- ?h_?(tilde|~) ?(\*\*|\^) ?2|tanh'"
                r"|tanh\(h_?(tilde|~)\)|twice|(no|missing|lacks?) (entry |key )?'?dbhh"
                r"|dbhh'? (is )?(missing|not returned)",
          source='''
def gru_cell_backward(dh_next, cache):
    prm = cache["params"]
    x_t, h_prev = cache["x_t"], cache["h_prev"]
    u, r, h_tilde = cache["u"], cache["r"], cache["h_tilde"]
    da_h = dh_next * u * (1 - np.tanh(h_tilde) ** 2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_c = prm["Wh"].T @ da_hh
        dWh = da_hh @ h_prev.T
    else:
        ds = prm["Wh"].T @ da_h
        dr = ds * h_prev
        dh_c = ds * r
        dWh = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    return {
        "dx_t": prm["Uu"].T @ da_u + prm["Ur"].T @ da_r + prm["Uh"].T @ da_h,
        "dh_prev": dh_next * (1 - u) + dh_c + prm["Wu"].T @ da_u + prm["Wr"].T @ da_r,
        "dUu": da_u @ x_t.T, "dUr": da_r @ x_t.T, "dUh": da_h @ x_t.T,
        "dWu": da_u @ h_prev.T, "dWr": da_r @ h_prev.T, "dWh": dWh,
        "dbu": da_u.sum(axis=1, keepdims=True),
        "dbr": da_r.sum(axis=1, keepdims=True),
        "dbh": da_h.sum(axis=1, keepdims=True),
    }
'''),

    # ------------------------------------------------------------------ gru_backward
    Entry(function="gru_backward", name="bptt_gradient_not_carried",
          bug="each step gets only dh[:, :, t]; the dh_prev of step t + 1 is not added",
          names=r"carr|step t ?\+ ?1|sent back|sends back|from (the )?(next|later) step|dh_prev of|plus (the )?dh_prev"
                r"|\+ ?dh_prev",
          source='''
def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t]
        g = gru_cell_backward(dh[:, :, t], step)
        dx[:, :, t] = g.pop("dx_t")
        dh_prev = g.pop("dh_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_prev, **grads}
'''),
    Entry(function="gru_backward", name="bptt_grads_assigned",
          bug="the parameter gradients are assigned at every step (grads[k] = v), not summed over time: "
              "only the first step's remain",
          names=r"accumul|sum\w* (over|across|of) (the |every |all )?(steps|time)|\+=|only one step|last step only"
                r"|assigned|overwrit",
          source='''
def gru_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    n_x, m, T = x.shape
    dx = np.zeros((n_x, m, T))
    grads = {}
    dh_next = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        c = {"x_t": x[:, :, t], "h_prev": h_prev, "u": cache["u"][:, :, t], "r": cache["r"][:, :, t],
             "h_tilde": cache["h_tilde"][:, :, t], "params": cache["params"], "reset_after": cache["reset_after"]}
        if cache["reset_after"]:
            c["a_hh"] = cache["a_hh"][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + dh_next, c)
        dx[:, :, t] = g["dx_t"]
        dh_next = g["dh_prev"]
        for k in g:
            if k not in ("dx_t", "dh_prev"):
                grads[k] = g[k]
    grads["dx"] = dx
    grads["dh0"] = dh_next
    return grads
'''),
    Entry(function="gru_backward", name="bptt_first_prev_wraps",
          bug="the previous state of the first step is h[:, :, -1] (the last state), not h0",
          names=r"h\[:, ?:, ?-1\]|wrap|first step.{0,40}h0|previous state (of the first step )?is h0|h0 at the first"
                r"|negative index|index -1",
          source='''
def gru_backward(dh, cache):
    x, h, params = cache["x"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    d_carry = np.zeros_like(cache["h0"])
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1], "params": params,
                "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + d_carry, step)
        dx[:, :, t] = g.pop("dx_t")
        d_carry = g.pop("dh_prev")
        for k in g:
            grads[k] += g[k]
    return {"dx": dx, "dh0": d_carry, **grads}
'''),
    Entry(function="gru_backward", name="bptt_forward_in_time",
          bug="the loop runs forward in time (t = 0 .. T-1), passing dh_prev on to the next step instead of walking "
              "back from the last step",
          names=r"revers|wrong order|order of (the )?steps|backwards? in time|from the last|direction|forward in time",
          source='''
def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in range(T):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + dh_prev, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_prev = g.pop("dh_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_prev, **grads}
'''),
    Entry(function="gru_backward", name="bptt_skips_first_step",
          bug="range(T - 1, 0, -1) stops before step 0: the first step is never run backward (dx[..., 0] = 0, "
              "its parameter gradients missing, dh0 is the second step's dh_prev)",
          names=r"(first step|step 0|t ?= ?0) (is )?(never|not|missing|skipped)|range\(|missing step|skip|off.by.one"
                r"|never (run|visited)",
          source='''
def gru_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    params, ra = cache["params"], cache["reset_after"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    sums = {"d" + name: np.zeros_like(value) for name, value in params.items()}
    dh_next = np.zeros_like(h0)
    for t in range(T - 1, 0, -1):
        h_prev = h[:, :, t - 1] if t > 0 else h0
        step = dict(x_t=x[:, :, t], h_prev=h_prev, u=cache["u"][:, :, t], r=cache["r"][:, :, t],
                    h_tilde=cache["h_tilde"][:, :, t], params=params, reset_after=ra)
        if ra:
            step["a_hh"] = cache["a_hh"][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + dh_next, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_next = g.pop("dh_prev")
        for name in g:
            sums[name] += g[name]
    return {"dx": dx, "dh0": dh_next, **sums}
'''),
    Entry(function="gru_backward", name="bptt_dh_changed_in_place",
          bug="dh_t = dh[:, :, t] is a view and dh_t += dh_prev changes the caller's dh in place",
          names=r"in.?place|modifie|chang\w* (its )?(input|argument|dh\b)|unchanged|\bcopy\b|\bview\b|overwr",
          source='''
def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        dh_t = dh[:, :, t]
        dh_t += dh_prev                     # gradient from the output and from step t + 1
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t]
        g = gru_cell_backward(dh_t, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_prev = g.pop("dh_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_prev, **grads}
'''),
    Entry(function="gru_backward", name="bptt_fixed_keys_no_dbhh",
          bug="reset-after form: only the nine gradients of a fixed list are summed, so dbhh is missing",
          names=r"(no|missing|lacks?) (entry |key )?'?dbhh|dbhh'? (is )?(missing|not returned)",
          source='''
def gru_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    n_x, m, T = x.shape
    names = ["dUu", "dUr", "dUh", "dWu", "dWr", "dWh", "dbu", "dbr", "dbh"]
    total = {}
    dx = np.zeros((n_x, m, T))
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        c = {"x_t": x[:, :, t], "h_prev": h0 if t == 0 else h[:, :, t - 1],
             "u": cache["u"][:, :, t], "r": cache["r"][:, :, t], "h_tilde": cache["h_tilde"][:, :, t],
             "params": cache["params"], "reset_after": cache["reset_after"]}
        if cache["reset_after"]:
            c["a_hh"] = cache["a_hh"][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + dh_prev, c)
        for k in names:
            total[k] = total.get(k, 0) + g[k]
        dx[:, :, t] = g["dx_t"]
        dh_prev = g["dh_prev"]
    return {"dx": dx, "dh0": dh_prev, **total}
'''),
    Entry(function="gru_backward", name="bptt_flag_hard_coded",
          bug="the step caches get reset_after=False whatever the form, so the reset-after form is run backward "
              "as the book's form",
          names=r"not passed|pass\w* (it )?(on|through|along|to)|flag|ignor\w* (the )?(reset_after|flag)"
                r"|reset_after (is )?ignored|book's form|reset_after=False|(computes|runs|ran) the book|hard.?coded",
          source='''
def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": False, "u": cache["u"][:, :, t], "r": cache["r"][:, :, t],
                "h_tilde": cache["h_tilde"][:, :, t]}
        g = gru_cell_backward(dh[:, :, t] + dh_prev, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_prev = g.pop("dh_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_prev, **grads}
'''),
    Entry(function="gru_backward", name="bptt_a_hh_not_sliced",
          bug="reset-after form: the step cache gets the whole a_hh (n_h, m, T) instead of a_hh[:, :, t]",
          names=r"a_hh\[:, ?:, ?t\]|whole a_hh|a_hh.{0,40}(slice|step t|every step|all steps|\(n_h, ?m, ?T\))"
                r"|(slice|index)\w* a_hh",
          source='''
def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": cache["reset_after"], "u": cache["u"][:, :, t], "r": cache["r"][:, :, t],
                "h_tilde": cache["h_tilde"][:, :, t]}
        if cache["reset_after"]:
            step["a_hh"] = cache["a_hh"]
        g = gru_cell_backward(dh[:, :, t] + dh_prev, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_prev = g.pop("dh_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_prev, **grads}
'''),
    Entry(function="gru_backward", name="bptt_dh0_gets_wrapped_dh",
          bug="the carry is built as dh_prev + dh[:, :, t - 1] for the step to come, so at t = 0 dh0 also gets "
              "dh[:, :, -1] (the last step's output gradient)",
          names=r"dh\[:, ?:, ?-1\]|wrap|negative index|index -1|t ?- ?1 ?= ?-1|extra term"
                r"|dh0 (also )?(gets|receives|includes|picks up)|nothing (is )?added (to|into) dh0",
          source='''
def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_t = dh[:, :, T - 1].copy()       # the last step only gets its own gradient
    for t in range(T - 1, -1, -1):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t]
        g = gru_cell_backward(dh_t, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_t = g.pop("dh_prev") + dh[:, :, t - 1]   # what step t - 1 receives
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_t, **grads}
'''),
    Entry(function="gru_backward", name="bptt_only_last_dh",
          bug="only dh[:, :, T-1] is fed in; the direct gradients dh[:, :, t] of the earlier steps are never added",
          names=r"dh\[:, ?:, ?t\] (is )?(not |never )?(added|missing|dropped|ignored|forgotten)"
                r"|(missing|without|ignor\w*|drop\w*|forgot\w*) (the )?dh\[:, ?:, ?t\]|own (direct )?gradient"
                r"|direct gradient|from the output|output layer|only dh\[:, ?:, ?-1\]"
                r"|only (the )?(last|final) step'?s? (dh|gradient)",
          source='''
def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    n_x, m, T = x.shape
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros((n_x, m, T))
    dh_next = dh[:, :, -1]
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t]
        g = gru_cell_backward(dh_next, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_next = g.pop("dh_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_next, **grads}
'''),
    Entry(function="gru_backward", name="bptt_squeezed_steps",
          bug="every slice is .squeeze()d to 'drop the time axis', which also drops n_h = 1, n_x = 1 or m = 1 "
              "axes and breaks the products",
          names=r"squeez|size.?1 ax|axes of (size|length) (1|one)|size-one|batch of one|single example|one example"
                r"|drop\w* (an |the )?ax|(when|with|if) (n_h|n_x|m) ?= ?1",
          source='''
def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0).squeeze()
    for t in reversed(range(T)):
        prev = h[:, :, t - 1] if t > 0 else h0
        step = {"x_t": x[:, :, t].squeeze(), "h_prev": prev.squeeze(), "params": params,
                "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t].squeeze()
        g = gru_cell_backward(dh[:, :, t].squeeze() + dh_prev, step)
        dx[:, :, t] = g["dx_t"].reshape(dx[:, :, t].shape)
        dh_prev = g["dh_prev"]
        for k in grads:
            grads[k] += np.reshape(g[k], grads[k].shape)
    return {"dx": dx, "dh0": dh_prev, **grads}
'''),
    Entry(function="gru_backward", name="bptt_two_no_carry_assigned",
          bug="two bugs: the dh_prev of step t + 1 is not added to dh[:, :, t], and the parameter gradients are "
              "assigned at every step instead of summed",
          names=r"carr|step t ?\+ ?1|sent back|sends back|from (the )?(next|later) step|dh_prev of|plus (the )?dh_prev"
                r"|accumul|sum\w* (over|across|of) (the |every |all )?(steps|time)|\+=|only one step|assigned|overwrit",
          source='''
def gru_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    T = x.shape[2]
    out = {"dx": np.zeros_like(x)}
    for t in range(T - 1, -1, -1):
        c = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t else h0, "params": cache["params"],
             "reset_after": cache["reset_after"]}
        for key in ("u", "r", "h_tilde", "a_hh"):
            if key in cache:
                c[key] = cache[key][:, :, t]
        step_grads = gru_cell_backward(dh[:, :, t], c)
        out["dx"][:, :, t] = step_grads.pop("dx_t")
        out["dh0"] = step_grads.pop("dh_prev")
        out.update(step_grads)
    return out
'''),
    Entry(function="gru_backward", name="bptt_two_wrap_and_no_dbhh",
          bug="two bugs: the first step's previous state is h[:, :, -1] instead of h0, and dbhh is dropped "
              "(only keys of a fixed list are summed)",
          names=r"h\[:, ?:, ?-1\]|wrap|first step.{0,40}h0|previous state (of the first step )?is h0|h0 at the first"
                r"|negative index|index -1|(no|missing|lacks?) (entry |key )?'?dbhh"
                r"|dbhh'? (is )?(missing|not returned)",
          source='''
def gru_backward(dh, cache):
    x, h = cache["x"], cache["h"]
    T = x.shape[2]
    keys = ("dUu", "dUr", "dUh", "dWu", "dWr", "dWh", "dbu", "dbr", "dbh")
    grads = {k: 0.0 for k in keys}
    dx = np.zeros_like(x)
    dh_next = np.zeros_like(cache["h0"])
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1], "u": cache["u"][:, :, t],
                "r": cache["r"][:, :, t], "h_tilde": cache["h_tilde"][:, :, t],
                "params": cache["params"], "reset_after": cache["reset_after"]}
        if "a_hh" in cache:
            step["a_hh"] = cache["a_hh"][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + dh_next, step)
        dx[:, :, t] = g["dx_t"]
        dh_next = g["dh_prev"]
        for k in keys:
            grads[k] = grads[k] + g[k]
    grads["dx"] = dx
    grads["dh0"] = dh_next
    return grads
'''),
]
