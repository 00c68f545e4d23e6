using System.Text.Json.Nodes;

namespace MedSpa.StripeEmulator;

/// <summary>
/// The JSON shapes of the resources the emulator serves. Top-level fields match Stripe's published fixtures (a test
/// checks this); nested objects carry what a client of this emulator reads.
/// </summary>
public static class Resources
{
    public static JsonObject Metadata(IReadOnlyDictionary<string, string> values)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in values)
        {
            metadata[key] = value;
        }

        return metadata;
    }

    private static JsonObject EmptyAddress() => new()
    {
        ["city"] = null, ["country"] = null, ["line1"] = null, ["line2"] = null, ["postal_code"] = null, ["state"] = null,
    };

    public static JsonObject Customer(string id, long created, string? email, string? name, string? description, JsonObject metadata) => new()
    {
        ["id"] = id,
        ["object"] = "customer",
        ["address"] = null,
        ["balance"] = 0,
        ["created"] = created,
        ["currency"] = null,
        ["default_source"] = null,
        ["delinquent"] = false,
        ["description"] = description,
        ["discount"] = null,
        ["email"] = email,
        ["invoice_prefix"] = id[^8..].ToUpperInvariant(),
        ["invoice_settings"] = new JsonObject
        {
            ["custom_fields"] = null,
            ["default_payment_method"] = null,
            ["footer"] = null,
            ["rendering_options"] = null,
        },
        ["livemode"] = false,
        ["metadata"] = metadata,
        ["name"] = name,
        ["next_invoice_sequence"] = 1,
        ["phone"] = null,
        ["preferred_locales"] = new JsonArray(),
        ["shipping"] = null,
        ["tax_exempt"] = "none",
        ["test_clock"] = null,
    };

    public static JsonObject PaymentMethod(string id, long created, TestCard card, int expYear) => new()
    {
        ["id"] = id,
        ["object"] = "payment_method",
        ["allow_redisplay"] = "unspecified",
        ["billing_details"] = new JsonObject
        {
            ["address"] = EmptyAddress(), ["email"] = null, ["name"] = null, ["phone"] = null, ["tax_id"] = null,
        },
        ["card"] = new JsonObject
        {
            ["brand"] = card.Brand,
            ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = null, ["cvc_check"] = null },
            ["country"] = "US",
            ["display_brand"] = card.Brand,
            ["exp_month"] = 12,
            ["exp_year"] = expYear,
            ["fingerprint"] = "emu" + card.Last4 + card.Brand,
            ["funding"] = "credit",
            ["generated_from"] = null,
            ["last4"] = card.Last4,
            ["networks"] = new JsonObject { ["available"] = new JsonArray(card.Brand), ["preferred"] = null },
            ["regulated_status"] = "unregulated",
            ["three_d_secure_usage"] = new JsonObject { ["supported"] = true },
            ["wallet"] = null,
        },
        ["created"] = created,
        ["customer"] = null,
        ["customer_account"] = null,
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["type"] = "card",
    };

    public static JsonObject SetupIntent(string id, long created, string? customer, string usage, JsonObject metadata) => new()
    {
        ["id"] = id,
        ["object"] = "setup_intent",
        ["application"] = null,
        ["automatic_payment_methods"] = null,
        ["cancellation_reason"] = null,
        ["client_secret"] = StripeIds.Secret(id),
        ["created"] = created,
        ["customer"] = customer,
        ["description"] = null,
        ["excluded_payment_method_types"] = null,
        ["flow_directions"] = null,
        ["last_setup_error"] = null,
        ["latest_attempt"] = null,
        ["livemode"] = false,
        ["mandate"] = null,
        ["metadata"] = metadata,
        ["next_action"] = null,
        ["on_behalf_of"] = null,
        ["payment_method"] = null,
        ["payment_method_configuration_details"] = null,
        ["payment_method_options"] = new JsonObject(),
        ["payment_method_types"] = new JsonArray("card"),
        ["single_use_mandate"] = null,
        ["status"] = "requires_payment_method",
        ["usage"] = usage,
    };

    public static JsonObject PaymentIntent(
        string id, long created, long amount, string currency, string? customer, string? paymentMethod, string? description,
        JsonObject metadata, string? setupFutureUsage) => new()
    {
        ["id"] = id,
        ["object"] = "payment_intent",
        ["amount"] = amount,
        ["amount_capturable"] = 0L,
        ["amount_details"] = new JsonObject { ["tip"] = new JsonObject() },
        ["amount_received"] = 0L,
        ["application"] = null,
        ["application_fee_amount"] = null,
        ["automatic_payment_methods"] = null,
        ["canceled_at"] = null,
        ["cancellation_reason"] = null,
        ["capture_method"] = "automatic",
        ["client_secret"] = StripeIds.Secret(id),
        ["confirmation_method"] = "automatic",
        ["created"] = created,
        ["currency"] = currency,
        ["customer"] = customer,
        ["customer_account"] = null,
        ["description"] = description,
        ["excluded_payment_method_types"] = null,
        ["last_payment_error"] = null,
        ["latest_charge"] = null,
        ["livemode"] = false,
        ["managed_payments"] = null,
        ["metadata"] = metadata,
        ["next_action"] = null,
        ["on_behalf_of"] = null,
        ["payment_method"] = paymentMethod,
        ["payment_method_configuration_details"] = null,
        ["payment_method_options"] = new JsonObject(),
        ["payment_method_types"] = new JsonArray("card"),
        ["processing"] = null,
        ["receipt_email"] = null,
        ["review"] = null,
        ["setup_future_usage"] = setupFutureUsage,
        ["shipping"] = null,
        ["source"] = null,
        ["statement_descriptor"] = null,
        ["statement_descriptor_suffix"] = null,
        ["status"] = paymentMethod is null ? "requires_payment_method" : "requires_confirmation",
        ["transfer_data"] = null,
        ["transfer_group"] = null,
    };

    public static JsonObject Charge(string id, long created, JsonObject intent, JsonObject paymentMethod, bool paid, string? failureCode, string? failureMessage)
    {
        var card = paymentMethod["card"]!.AsObject();
        var amount = intent["amount"]!.GetValue<long>();
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = paid ? amount : 0L,
            ["amount_refunded"] = 0L,
            ["application"] = null,
            ["application_fee"] = null,
            ["application_fee_amount"] = null,
            ["balance_transaction"] = paid ? StripeIds.New("txn") : null,
            ["billing_details"] = paymentMethod["billing_details"]!.DeepClone(),
            ["calculated_statement_descriptor"] = "MEDSPA",
            ["captured"] = paid,
            ["created"] = created,
            ["currency"] = intent["currency"]!.DeepClone(),
            ["customer"] = intent["customer"]?.DeepClone(),
            ["description"] = intent["description"]?.DeepClone(),
            ["disputed"] = false,
            ["failure_balance_transaction"] = null,
            ["failure_code"] = failureCode,
            ["failure_message"] = failureMessage,
            ["fraud_details"] = new JsonObject(),
            ["livemode"] = false,
            ["metadata"] = intent["metadata"]!.DeepClone(),
            ["on_behalf_of"] = null,
            ["outcome"] = new JsonObject
            {
                ["advice_code"] = null,
                ["network_advice_code"] = null,
                ["network_decline_code"] = null,
                ["network_status"] = paid ? "approved_by_network" : "declined_by_network",
                ["reason"] = paid ? null : failureCode,
                ["risk_level"] = "normal",
                ["seller_message"] = paid ? "Payment complete." : "The bank did not return any further details with this decline.",
                ["type"] = paid ? "authorized" : "issuer_declined",
            },
            ["paid"] = paid,
            ["payment_intent"] = intent["id"]!.DeepClone(),
            ["payment_method"] = paymentMethod["id"]!.DeepClone(),
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["brand"] = card["brand"]!.DeepClone(),
                    ["country"] = "US",
                    ["exp_month"] = card["exp_month"]!.DeepClone(),
                    ["exp_year"] = card["exp_year"]!.DeepClone(),
                    ["funding"] = "credit",
                    ["last4"] = card["last4"]!.DeepClone(),
                    ["network"] = card["brand"]!.DeepClone(),
                },
                ["type"] = "card",
            },
            ["receipt_email"] = null,
            ["receipt_number"] = null,
            ["receipt_url"] = null,
            ["refunded"] = false,
            ["refunds"] = new JsonObject
            {
                ["object"] = "list", ["data"] = new JsonArray(), ["has_more"] = false, ["url"] = $"/v1/charges/{id}/refunds",
            },
            ["review"] = null,
            ["shipping"] = null,
            ["source"] = null,
            ["source_transfer"] = null,
            ["statement_descriptor"] = null,
            ["statement_descriptor_suffix"] = null,
            ["status"] = paid ? "succeeded" : "failed",
            ["transfer_data"] = null,
            ["transfer_group"] = null,
        };
    }

    public static JsonObject Refund(string id, long created, long amount, JsonObject charge, string? reason, JsonObject metadata) => new()
    {
        ["id"] = id,
        ["object"] = "refund",
        ["amount"] = amount,
        ["balance_transaction"] = StripeIds.New("txn"),
        ["charge"] = charge["id"]!.DeepClone(),
        ["created"] = created,
        ["currency"] = charge["currency"]!.DeepClone(),
        ["customer"] = charge["customer"]?.DeepClone(),
        ["customer_account"] = null,
        ["destination_details"] = new JsonObject { ["card"] = new JsonObject { ["type"] = "refund" }, ["type"] = "card" },
        ["metadata"] = metadata,
        ["payment_intent"] = charge["payment_intent"]!.DeepClone(),
        ["payment_method"] = charge["payment_method"]!.DeepClone(),
        ["reason"] = reason,
        ["receipt_number"] = null,
        ["source_transfer_reversal"] = null,
        ["status"] = "succeeded",
        ["transfer_reversal"] = null,
    };

    public static JsonObject Dispute(string id, long created, JsonObject charge, string reason)
    {
        var card = charge["payment_method_details"]!["card"]!.AsObject();
        var evidence = new JsonObject();
        foreach (var field in new[]
        {
            "access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure", "cancellation_rebuttal",
            "customer_communication", "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
            "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id", "product_description", "receipt",
            "refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "service_documentation",
            "shipping_address", "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
            "uncategorized_file", "uncategorized_text",
        })
        {
            evidence[field] = null;
        }

        evidence["enhanced_evidence"] = new JsonObject();
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "dispute",
            ["amount"] = charge["amount_captured"]!.DeepClone(),
            ["balance_transactions"] = new JsonArray(),
            ["charge"] = charge["id"]!.DeepClone(),
            ["created"] = created,
            ["currency"] = charge["currency"]!.DeepClone(),
            ["enhanced_eligibility_types"] = new JsonArray(),
            ["evidence"] = evidence,
            ["evidence_details"] = new JsonObject
            {
                // Stripe gives the merchant about three weeks to answer.
                ["due_by"] = created + (21 * 24 * 3600),
                ["enhanced_eligibility"] = new JsonObject(),
                ["has_evidence"] = false,
                ["past_due"] = false,
                ["submission_count"] = 0,
            },
            ["is_charge_refundable"] = false,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["payment_intent"] = charge["payment_intent"]?.DeepClone(),
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["brand"] = card["brand"]!.DeepClone(),
                    ["case_type"] = "chargeback",
                    ["network_reason_code"] = "10.4",
                    ["network"] = card["network"]!.DeepClone(),
                },
                ["type"] = "card",
            },
            ["reason"] = reason,
            ["status"] = "needs_response",
        };
    }

    public static JsonObject Event(string id, long created, string type, JsonObject dataObject, string? apiVersion, string? requestId, string? idempotencyKey) => new()
    {
        ["id"] = id,
        ["object"] = "event",
        ["api_version"] = apiVersion,
        ["created"] = created,
        ["data"] = new JsonObject { ["object"] = dataObject },
        ["livemode"] = false,
        ["pending_webhooks"] = 0,
        ["request"] = new JsonObject { ["id"] = requestId, ["idempotency_key"] = idempotencyKey },
        ["type"] = type,
    };

    public static JsonObject List(string url, IEnumerable<JsonObject> items, bool hasMore) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
        ["has_more"] = hasMore,
        ["url"] = url,
    };

    public static JsonObject SearchResult(string url, IEnumerable<JsonObject> items)
    {
        var data = new JsonArray(items.Select(i => (JsonNode)i).ToArray());
        return new JsonObject
        {
            ["object"] = "search_result",
            ["data"] = data,
            ["has_more"] = false,
            ["next_page"] = null,
            ["total_count"] = data.Count,
            ["url"] = url,
        };
    }
}
