// Each test here runs up to three silo processes, a Stripe account and thousands of requests on the same two cores as
// the rest of the suite; two at once starved each other's silos past their start-up and request timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
