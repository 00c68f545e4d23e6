using System.Text.Json.Nodes;

namespace MedSpa.StripeEmulator;

/// <summary>Who is calling and under which idempotency key: events record it, as Stripe's do.</summary>
public sealed record ApiCall(string ApiKey, string RequestId, string? IdempotencyKey, string? StripeVersion);

/// <summary>
/// Everything the emulated account holds. One lock guards it all: the emulator serves tests and a development
/// silo, not production traffic, and a single lock makes every operation trivially atomic. Objects leave the
/// lock as deep copies so serialising them never races a later change.
/// </summary>
public sealed class EmulatorState(TimeProvider time, WebhookDispatcher webhooks)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TestCard> _cards = new(StringComparer.Ordinal);
    private readonly List<string> _customers = [];
    private readonly List<string> _paymentIntents = [];
    private readonly List<string> _events = [];

    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Everything the account holds, as JSON: what <see cref="EmulatorStateFile"/> keeps between runs.</summary>
    public JsonObject Snapshot()
    {
        lock (_gate)
        {
            var objects = new JsonObject();
            foreach (var (id, obj) in _objects)
            {
                objects[id] = obj.DeepClone();
            }

            var cards = new JsonObject();
            foreach (var (id, card) in _cards)
            {
                cards[id] = card.Token;
            }

            return new JsonObject
            {
                ["objects"] = objects,
                ["cards"] = cards,
                ["customers"] = new JsonArray([.. _customers.Select(id => (JsonNode)id)]),
                ["payment_intents"] = new JsonArray([.. _paymentIntents.Select(id => (JsonNode)id)]),
                ["events"] = new JsonArray([.. _events.Select(id => (JsonNode)id)]),
            };
        }
    }

    /// <summary>Replaces the account with a <see cref="Snapshot"/>.</summary>
    public void Restore(JsonObject snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            Reset();
            foreach (var (id, obj) in snapshot["objects"]?.AsObject() ?? [])
            {
                _objects[id] = obj!.DeepClone().AsObject();
            }

            foreach (var (id, token) in snapshot["cards"]?.AsObject() ?? [])
            {
                if (TestCard.Find(token!.GetValue<string>()) is { } card)
                {
                    _cards[id] = card;
                }
            }

            _customers.AddRange(Ids(snapshot["customers"]));
            _paymentIntents.AddRange(Ids(snapshot["payment_intents"]));
            _events.AddRange(Ids(snapshot["events"]));
        }

        static IEnumerable<string> Ids(JsonNode? list) => list?.AsArray().Select(id => id!.GetValue<string>()) ?? [];
    }

    public void Reset()
    {
        lock (_gate)
        {
            _objects.Clear();
            _cards.Clear();
            _customers.Clear();
            _paymentIntents.Clear();
            _events.Clear();
        }
    }

    /// <summary>Every PaymentIntent ever created, oldest first: what tests audit for double charges.</summary>
    /// <summary>How many PaymentIntents the account holds: a test waiting on a run of thousands asks this, not for them all.</summary>
    public int PaymentIntentCount()
    {
        lock (_gate)
        {
            return _paymentIntents.Count;
        }
    }

    public IReadOnlyList<JsonObject> AllPaymentIntents()
    {
        lock (_gate)
        {
            return _paymentIntents.Select(id => _objects[id].DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>Replaces expandable ids (<c>latest_charge</c>, <c>data.payment_method</c>) with the objects.</summary>
    public void Expand(JsonNode body, IReadOnlyList<string> paths)
    {
        lock (_gate)
        {
            foreach (var path in paths)
            {
                ExpandPath(body, path.Split('.'));
            }
        }
    }

    private void ExpandPath(JsonNode? node, ReadOnlySpan<string> path)
    {
        if (node is not JsonObject obj || path.IsEmpty)
        {
            return;
        }

        if (path[0] == "data" && obj["data"] is JsonArray items)
        {
            foreach (var item in items)
            {
                ExpandPath(item, path[1..]);
            }

            return;
        }

        if (path.Length == 1)
        {
            if (obj[path[0]] is JsonValue value && value.TryGetValue<string>(out var id) && _objects.TryGetValue(id, out var target))
            {
                obj[path[0]] = target.DeepClone();
            }

            return;
        }

        ExpandPath(obj[path[0]], path[1..]);
    }

    // ---- customers ----

    public JsonObject CreateCustomer(FormParams form, ApiCall call)
    {
        lock (_gate)
        {
            var id = StripeIds.New("cus");
            var customer = Resources.Customer(id, Now, form.Get("email"), form.Get("name"), form.Get("description"), Resources.Metadata(form.GetMap("metadata")));
            _objects[id] = customer;
            _customers.Add(id);
            if (form.Get("payment_method") is { } paymentMethod)
            {
                Attach(Resolve(paymentMethod, "payment_method"), id, call);
            }

            return customer.DeepClone().AsObject();
        }
    }

    public JsonObject GetCustomer(string id)
    {
        lock (_gate)
        {
            return Customer(id).DeepClone().AsObject();
        }
    }

    public JsonObject ListCustomers(FormParams form)
    {
        lock (_gate)
        {
            var email = form.Get("email");
            var limit = (int)Math.Clamp(form.GetLong("limit") ?? 10, 1, 100);
            var matching = _customers.AsEnumerable().Reverse().Select(id => _objects[id])
                .Where(c => email is null || string.Equals(c["email"]?.GetValue<string>(), email, StringComparison.Ordinal))
                .ToList();
            return Resources.List("/v1/customers", matching.Take(limit).Select(c => c.DeepClone().AsObject()), matching.Count > limit);
        }
    }

    public JsonObject UpdateCustomer(string id, FormParams form)
    {
        lock (_gate)
        {
            var customer = Customer(id);
            foreach (var field in new[] { "email", "name", "description", "phone" })
            {
                if (form.Has(field))
                {
                    customer[field] = form.Get(field) is { Length: > 0 } value ? value : null;
                }
            }

            var metadata = customer["metadata"]!.AsObject();
            foreach (var (key, value) in form.GetMap("metadata"))
            {
                if (value.Length == 0)
                {
                    metadata.Remove(key);
                }
                else
                {
                    metadata[key] = value;
                }
            }

            const string DefaultKey = "invoice_settings[default_payment_method]";
            if (form.Has(DefaultKey))
            {
                var paymentMethodId = form.Get(DefaultKey);
                if (!string.IsNullOrEmpty(paymentMethodId))
                {
                    var owner = PaymentMethodObject(paymentMethodId, DefaultKey)["customer"]?.GetValue<string>();
                    if (owner != id)
                    {
                        throw StripeApiException.InvalidRequest(
                            $"The customer does not have a payment method with the ID {paymentMethodId}. The payment method must be attached to the customer.",
                            DefaultKey, "resource_missing");
                    }
                }

                customer["invoice_settings"]!["default_payment_method"] = string.IsNullOrEmpty(paymentMethodId) ? null : paymentMethodId;
            }

            return customer.DeepClone().AsObject();
        }
    }

    private JsonObject Customer(string id, string? param = null) =>
        _objects.TryGetValue(id, out var customer) && customer["object"]?.GetValue<string>() == "customer"
            ? customer
            : throw StripeApiException.Missing("customer", id, param);

    // ---- payment methods ----

    /// <summary>
    /// A test token (<c>pm_card_visa</c>) stands for a fresh card each time it is used, as in Stripe: the emulator
    /// creates a concrete <c>pm_…</c> object carrying the token's behaviour. Concrete ids resolve to themselves.
    /// </summary>
    private string Resolve(string paymentMethodId, string param)
    {
        if (TestCard.Find(paymentMethodId) is { } card)
        {
            var id = StripeIds.New("pm");
            _objects[id] = Resources.PaymentMethod(id, Now, card, time.GetUtcNow().Year + 3);
            _cards[id] = card;
            return id;
        }

        PaymentMethodObject(paymentMethodId, param);
        return paymentMethodId;
    }

    private JsonObject PaymentMethodObject(string id, string? param = "payment_method") =>
        _objects.TryGetValue(id, out var paymentMethod) && paymentMethod["object"]?.GetValue<string>() == "payment_method"
            ? paymentMethod
            : throw StripeApiException.Missing("PaymentMethod", id, param);

    public JsonObject GetPaymentMethod(string id)
    {
        lock (_gate)
        {
            return PaymentMethodObject(Resolve(id, "payment_method")).DeepClone().AsObject();
        }
    }

    public JsonObject AttachPaymentMethod(string id, FormParams form, ApiCall call)
    {
        lock (_gate)
        {
            var customerId = form.Get("customer") ?? throw StripeApiException.InvalidRequest("Missing required param: customer.", "customer", "parameter_missing");
            Customer(customerId, "customer");
            return Attach(Resolve(id, "payment_method"), customerId, call).DeepClone().AsObject();
        }
    }

    private JsonObject Attach(string paymentMethodId, string customerId, ApiCall call)
    {
        _ = call;
        var paymentMethod = PaymentMethodObject(paymentMethodId);
        var owner = paymentMethod["customer"]?.GetValue<string>();
        if (owner is not null && owner != customerId)
        {
            throw StripeApiException.InvalidRequest(
                "The payment method you provided has already been attached to a customer.", "payment_method", "payment_method_unexpected_state");
        }

        paymentMethod["customer"] = customerId;
        return paymentMethod;
    }

    public JsonObject DetachPaymentMethod(string id, ApiCall call)
    {
        lock (_gate)
        {
            var paymentMethod = PaymentMethodObject(id);
            var owner = paymentMethod["customer"]?.GetValue<string>()
                ?? throw StripeApiException.InvalidRequest("The payment method you provided is not attached to a customer so detachment is impossible.", null, "payment_method_unexpected_state");
            paymentMethod["customer"] = null;
            if (_objects.TryGetValue(owner, out var customer) && customer["invoice_settings"]?["default_payment_method"]?.GetValue<string>() == id)
            {
                customer["invoice_settings"]!["default_payment_method"] = null;
            }

            // Stripe's event says who the card belonged to in previous_attributes: the object itself no longer can.
            Emit("payment_method.detached", paymentMethod, call, new JsonObject { ["customer"] = owner });
            return paymentMethod.DeepClone().AsObject();
        }
    }

    /// <summary>
    /// What the card networks' updater does to a saved card (a reissued card's new expiry or number): changes the card
    /// in place and emits <c>payment_method.automatically_updated</c>, with the old values in previous_attributes.
    /// </summary>
    public JsonObject AutomaticallyUpdatePaymentMethod(string id, CardUpdate update, ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            var paymentMethod = PaymentMethodObject(id, "id");
            var card = paymentMethod["card"]!.AsObject();
            var previous = new JsonObject
            {
                ["exp_month"] = card["exp_month"]!.DeepClone(),
                ["exp_year"] = card["exp_year"]!.DeepClone(),
                ["last4"] = card["last4"]!.DeepClone(),
            };
            card["exp_month"] = update.ExpMonth ?? card["exp_month"]!.GetValue<int>();
            card["exp_year"] = update.ExpYear ?? card["exp_year"]!.GetValue<int>() + 3;
            if (update.Last4 is { Length: 4 } last4)
            {
                card["last4"] = last4;
            }

            Emit("payment_method.automatically_updated", paymentMethod, call, new JsonObject { ["card"] = previous });
            return paymentMethod.DeepClone().AsObject();
        }
    }

    // ---- setup intents ----

    public JsonObject CreateSetupIntent(FormParams form, ApiCall call)
    {
        lock (_gate)
        {
            var customerId = form.Get("customer");
            if (customerId is not null)
            {
                Customer(customerId, "customer");
            }

            var id = StripeIds.New("seti");
            var intent = Resources.SetupIntent(id, Now, customerId, form.Get("usage") ?? "off_session", Resources.Metadata(form.GetMap("metadata")));
            intent["description"] = form.Get("description");
            _objects[id] = intent;
            if (form.Get("payment_method") is { } paymentMethod)
            {
                intent["payment_method"] = Resolve(paymentMethod, "payment_method");
                intent["status"] = "requires_confirmation";
            }

            if (form.GetBool("confirm"))
            {
                ConfirmSetup(intent, call);
            }

            return intent.DeepClone().AsObject();
        }
    }

    public JsonObject GetSetupIntent(string id)
    {
        lock (_gate)
        {
            return SetupIntentObject(id).DeepClone().AsObject();
        }
    }

    public JsonObject ConfirmSetupIntent(string id, FormParams form, ApiCall call)
    {
        lock (_gate)
        {
            var intent = SetupIntentObject(id);
            if (intent["status"]!.GetValue<string>() is "succeeded" or "canceled")
            {
                throw StripeApiException.InvalidRequest(
                    $"You cannot confirm this SetupIntent because it has a status of {intent["status"]}.", null, "setup_intent_unexpected_state");
            }

            if (form.Get("payment_method") is { } paymentMethod)
            {
                intent["payment_method"] = Resolve(paymentMethod, "payment_method");
            }

            ConfirmSetup(intent, call);
            return intent.DeepClone().AsObject();
        }
    }

    private void ConfirmSetup(JsonObject intent, ApiCall call)
    {
        var paymentMethodId = intent["payment_method"]?.GetValue<string>()
            ?? throw StripeApiException.InvalidRequest("You cannot confirm this SetupIntent because it's missing a payment method.", "payment_method", "setup_intent_unexpected_state");
        if (intent["customer"]?.GetValue<string>() is { } customerId)
        {
            Attach(paymentMethodId, customerId, call);
        }

        // Saving a card is on-session in the portal; the emulator treats the cardholder as having authenticated.
        intent["status"] = "succeeded";
        Emit("setup_intent.succeeded", intent, call);
    }

    private JsonObject SetupIntentObject(string id) =>
        _objects.TryGetValue(id, out var intent) && intent["object"]?.GetValue<string>() == "setup_intent"
            ? intent
            : throw StripeApiException.Missing("setup_intent", id, "intent");

    // ---- payment intents ----

    public JsonObject CreatePaymentIntent(FormParams form, ApiCall call)
    {
        lock (_gate)
        {
            var amount = form.GetLong("amount") ?? throw StripeApiException.InvalidRequest("Missing required param: amount.", "amount", "parameter_missing");
            if (amount < 1 || amount > 99_999_999)
            {
                throw StripeApiException.InvalidRequest("Amount must be a positive integer in the currency's smallest unit.", "amount", "amount_too_small");
            }

            var currency = form.Get("currency") ?? throw StripeApiException.InvalidRequest("Missing required param: currency.", "currency", "parameter_missing");
            var customerId = form.Get("customer");
            if (customerId is not null)
            {
                Customer(customerId, "customer");
            }

            var paymentMethodId = form.Get("payment_method") is { } requested ? Resolve(requested, "payment_method") : null;
            if (paymentMethodId is not null && customerId is not null
                && PaymentMethodObject(paymentMethodId)["customer"]?.GetValue<string>() is { } owner && owner != customerId)
            {
                throw StripeApiException.InvalidRequest(
                    $"The provided PaymentMethod {paymentMethodId} is attached to another customer.", "payment_method", "payment_method_unexpected_state");
            }

            var id = StripeIds.New("pi");
            var intent = Resources.PaymentIntent(
                id, Now, amount, currency.ToLowerInvariant(), customerId, paymentMethodId, form.Get("description"),
                Resources.Metadata(form.GetMap("metadata")), form.Get("setup_future_usage"));
            _objects[id] = intent;
            _paymentIntents.Add(id);
            Emit("payment_intent.created", intent, call);

            if (form.GetBool("confirm"))
            {
                Confirm(intent, form.GetBool("off_session"), call);
            }

            return intent.DeepClone().AsObject();
        }
    }

    public JsonObject ConfirmPaymentIntent(string id, FormParams form, ApiCall call)
    {
        lock (_gate)
        {
            var intent = PaymentIntentObject(id);
            if (intent["status"]!.GetValue<string>() is not ("requires_payment_method" or "requires_confirmation" or "requires_action"))
            {
                throw new StripeApiException(400, "invalid_request_error",
                    $"You cannot confirm this PaymentIntent because it has a status of {intent["status"]}.", "payment_intent_unexpected_state")
                {
                    PaymentIntent = intent.DeepClone().AsObject(),
                };
            }

            if (form.Get("payment_method") is { } paymentMethod)
            {
                intent["payment_method"] = Resolve(paymentMethod, "payment_method");
            }

            Confirm(intent, form.GetBool("off_session"), call);
            return intent.DeepClone().AsObject();
        }
    }

    private void Confirm(JsonObject intent, bool offSession, ApiCall call)
    {
        var paymentMethodId = intent["payment_method"]?.GetValue<string>()
            ?? throw StripeApiException.InvalidRequest(
                "You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_method", "payment_intent_unexpected_state");
        var paymentMethod = PaymentMethodObject(paymentMethodId);
        var card = _cards.GetValueOrDefault(paymentMethodId) ?? TestCard.Find("pm_card_visa")!;

        switch (card.Behaviour)
        {
            case CardBehaviour.Succeeds:
                var charge = NewCharge(intent, paymentMethod, paid: true, null, null);
                intent["status"] = "succeeded";
                intent["amount_received"] = intent["amount"]!.DeepClone();
                intent["latest_charge"] = charge["id"]!.DeepClone();
                intent["last_payment_error"] = null;
                intent["next_action"] = null;
                Emit("charge.succeeded", charge, call);
                Emit("payment_intent.succeeded", intent, call);
                return;

            case CardBehaviour.RequiresAuthentication when !offSession:
                intent["status"] = "requires_action";
                intent["next_action"] = new JsonObject
                {
                    ["type"] = "use_stripe_sdk",
                    ["use_stripe_sdk"] = new JsonObject { ["type"] = "three_d_secure_redirect" },
                };
                Emit("payment_intent.requires_action", intent, call);
                return;

            case CardBehaviour.RequiresAuthentication:
                // Off session nobody can authenticate: Stripe fails the confirmation with authentication_required and
                // leaves the intent waiting for a payment method (the customer must come back on session).
                Fail(intent, paymentMethod, "authentication_required", "authentication_required",
                    "Your card was declined. This transaction requires authentication.", call);
                return;

            default:
                Fail(intent, paymentMethod, "card_declined", card.DeclineCode ?? "generic_decline", card.DeclineMessage, call);
                return;
        }
    }

    private void Fail(JsonObject intent, JsonObject paymentMethod, string code, string declineCode, string message, ApiCall call)
    {
        var charge = NewCharge(intent, paymentMethod, paid: false, code, message);
        var error = new JsonObject
        {
            ["type"] = "card_error",
            ["code"] = code,
            ["decline_code"] = declineCode,
            ["message"] = message,
            ["charge"] = charge["id"]!.DeepClone(),
            ["payment_method"] = paymentMethod.DeepClone(),
        };
        intent["status"] = "requires_payment_method";
        intent["last_payment_error"] = error;
        intent["latest_charge"] = charge["id"]!.DeepClone();
        intent["next_action"] = null;
        Emit("charge.failed", charge, call);
        Emit("payment_intent.payment_failed", intent, call);
        throw new StripeApiException(402, "card_error", message, code)
        {
            DeclineCode = declineCode,
            ChargeId = charge["id"]!.GetValue<string>(),
            PaymentIntent = intent.DeepClone().AsObject(),
            PaymentMethod = paymentMethod.DeepClone().AsObject(),
        };
    }

    private JsonObject NewCharge(JsonObject intent, JsonObject paymentMethod, bool paid, string? failureCode, string? failureMessage)
    {
        var id = StripeIds.New("ch");
        var charge = Resources.Charge(id, Now, intent, paymentMethod, paid, failureCode, failureMessage);
        _objects[id] = charge;
        return charge;
    }

    public JsonObject GetPaymentIntent(string id)
    {
        lock (_gate)
        {
            return PaymentIntentObject(id).DeepClone().AsObject();
        }
    }

    public JsonObject ListPaymentIntents(FormParams form)
    {
        lock (_gate)
        {
            var customer = form.Get("customer");
            var limit = (int)Math.Clamp(form.GetLong("limit") ?? 10, 1, 100);
            var matching = _paymentIntents.AsEnumerable().Reverse().Select(id => _objects[id])
                .Where(pi => customer is null || pi["customer"]?.GetValue<string>() == customer)
                .ToList();
            return Resources.List("/v1/payment_intents", matching.Take(limit).Select(pi => pi.DeepClone().AsObject()), matching.Count > limit);
        }
    }

    /// <summary>
    /// Stripe's search, for the clauses billing uses: <c>metadata['k']:'v'</c>, <c>customer:'cus_…'</c>,
    /// <c>status:'succeeded'</c>, joined with AND. Unlike Stripe the index is never stale.
    /// </summary>
    public JsonObject SearchPaymentIntents(FormParams form)
    {
        var query = form.Get("query") ?? throw StripeApiException.InvalidRequest("Missing required param: query.", "query", "parameter_missing");
        var clauses = SearchQuery.Parse(query);
        lock (_gate)
        {
            var limit = (int)Math.Clamp(form.GetLong("limit") ?? 10, 1, 100);
            var matching = _paymentIntents.AsEnumerable().Reverse().Select(id => _objects[id])
                .Where(pi => clauses.All(c => c.Matches(pi)))
                .Take(limit)
                .Select(pi => pi.DeepClone().AsObject())
                .ToList();
            return Resources.SearchResult("/v1/payment_intents/search", matching);
        }
    }

    private JsonObject PaymentIntentObject(string id) =>
        _objects.TryGetValue(id, out var intent) && intent["object"]?.GetValue<string>() == "payment_intent"
            ? intent
            : throw StripeApiException.Missing("payment_intent", id, "intent");

    // ---- refunds ----

    public JsonObject CreateRefund(FormParams form, ApiCall call)
    {
        lock (_gate)
        {
            JsonObject charge;
            if (form.Get("payment_intent") is { } intentId)
            {
                var intent = PaymentIntentObject(intentId);
                if (intent["status"]!.GetValue<string>() != "succeeded")
                {
                    throw StripeApiException.InvalidRequest(
                        $"This PaymentIntent ({intentId}) does not have a successful charge to refund.", "payment_intent", "charge_not_refundable");
                }

                charge = _objects[intent["latest_charge"]!.GetValue<string>()];
            }
            else if (form.Get("charge") is { } chargeId)
            {
                charge = _objects.TryGetValue(chargeId, out var found) && found["object"]?.GetValue<string>() == "charge"
                    ? found
                    : throw StripeApiException.Missing("charge", chargeId, "charge");
            }
            else
            {
                throw StripeApiException.InvalidRequest("One of the following params should be provided for this request: payment_intent or charge.", null, "parameter_missing");
            }

            var captured = charge["amount_captured"]!.GetValue<long>();
            var refunded = charge["amount_refunded"]!.GetValue<long>();
            if (refunded >= captured)
            {
                throw StripeApiException.InvalidRequest($"Charge {charge["id"]} has already been refunded.", null, "charge_already_refunded");
            }

            var amount = form.GetLong("amount") ?? captured - refunded;
            if (amount <= 0 || amount > captured - refunded)
            {
                throw StripeApiException.InvalidRequest(
                    $"Refund amount ({amount}) is greater than unrefunded amount on charge ({captured - refunded}).", "amount", "amount_too_large");
            }

            var id = StripeIds.New("re");
            var refund = Resources.Refund(id, Now, amount, charge, form.Get("reason"), Resources.Metadata(form.GetMap("metadata")));
            _objects[id] = refund;
            charge["amount_refunded"] = refunded + amount;
            charge["refunded"] = refunded + amount == captured;
            charge["refunds"]!["data"]!.AsArray().Insert(0, refund.DeepClone());
            Emit("refund.created", refund, call);
            Emit("charge.refunded", charge, call);
            return refund.DeepClone().AsObject();
        }
    }

    public JsonObject GetRefund(string id)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(id, out var refund) && refund["object"]?.GetValue<string>() == "refund"
                ? refund.DeepClone().AsObject()
                : throw StripeApiException.Missing("refund", id, "id");
        }
    }

    public JsonObject GetCharge(string id)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(id, out var charge) && charge["object"]?.GetValue<string>() == "charge"
                ? charge.DeepClone().AsObject()
                : throw StripeApiException.Missing("charge", id, "id");
        }
    }

    // ---- disputes ----

    /// <summary>
    /// The cardholder disputes a successful charge with their bank (in Stripe test mode, a test card does this): the
    /// charge is marked disputed and <c>charge.dispute.created</c> is emitted. Whole amount, like Stripe's test cards.
    /// </summary>
    public JsonObject CreateDispute(DisputeRequest request, ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            JsonObject charge;
            if (request.PaymentIntent is { } intentId)
            {
                var intent = PaymentIntentObject(intentId);
                charge = intent["status"]!.GetValue<string>() == "succeeded"
                    ? _objects[intent["latest_charge"]!.GetValue<string>()]
                    : throw StripeApiException.InvalidRequest($"This PaymentIntent ({intentId}) has no successful charge to dispute.", "payment_intent", "charge_not_disputable");
            }
            else if (request.Charge is { } chargeId)
            {
                charge = _objects.TryGetValue(chargeId, out var found) && found["object"]?.GetValue<string>() == "charge"
                    ? found
                    : throw StripeApiException.Missing("charge", chargeId, "charge");
            }
            else
            {
                throw StripeApiException.InvalidRequest("One of the following params should be provided for this request: payment_intent or charge.", null, "parameter_missing");
            }

            if (charge["disputed"]!.GetValue<bool>())
            {
                throw StripeApiException.InvalidRequest($"Charge {charge["id"]} is already disputed.", "charge", "charge_already_disputed");
            }

            var id = StripeIds.New("dp");
            var dispute = Resources.Dispute(id, Now, charge, request.Reason ?? "fraudulent");
            _objects[id] = dispute;
            charge["disputed"] = true;
            Emit("charge.dispute.created", dispute, call);
            return dispute.DeepClone().AsObject();
        }
    }

    public JsonObject GetDispute(string id)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(id, out var dispute) && dispute["object"]?.GetValue<string>() == "dispute"
                ? dispute.DeepClone().AsObject()
                : throw StripeApiException.Missing("dispute", id, "dispute");
        }
    }

    // ---- events ----

    private void Emit(string type, JsonObject subject, ApiCall call, JsonObject? previousAttributes = null)
    {
        var id = StripeIds.New("evt");
        var apiVersion = webhooks.ApiVersionFor(call.StripeVersion);
        var stripeEvent = Resources.Event(id, Now, type, subject.DeepClone().AsObject(), apiVersion, call.RequestId, call.IdempotencyKey);
        if (previousAttributes is not null)
        {
            stripeEvent["data"]!["previous_attributes"] = previousAttributes;
        }

        _objects[id] = stripeEvent;
        _events.Add(id);
        webhooks.Enqueue(stripeEvent.DeepClone().AsObject());
    }

    public JsonObject GetEvent(string id)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(id, out var stripeEvent) && stripeEvent["object"]?.GetValue<string>() == "event"
                ? stripeEvent.DeepClone().AsObject()
                : throw StripeApiException.Missing("event", id, "id");
        }
    }

    public JsonObject ListEvents(FormParams form)
    {
        lock (_gate)
        {
            var type = form.Get("type");
            var limit = (int)Math.Clamp(form.GetLong("limit") ?? 10, 1, 100);
            var matching = _events.AsEnumerable().Reverse().Select(id => _objects[id])
                .Where(e => type is null || TypeMatches(e["type"]!.GetValue<string>(), type))
                .ToList();
            return Resources.List("/v1/events", matching.Take(limit).Select(e => e.DeepClone().AsObject()), matching.Count > limit);
        }
    }

    private static bool TypeMatches(string type, string pattern) =>
        pattern.EndsWith(".*", StringComparison.Ordinal)
            ? type.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : type == pattern;
}
