using Platform.Domain.Municipalities;
using Platform.Domain.Organisations;
using Platform.Gateway.GraphQL.Http;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains.Municipalities;
using Platform.Grains.Organisations;
using Platform.MultiTenancy;

namespace Platform.Gateway.Tenancy;

/// <summary>
/// Tenants are the registered organisations: municipalities (by CBS code) and executing organisations. An organisation's
/// record is public state, kept under the public data feed (<see cref="PublicRecords"/>): every signed-in request names
/// its tenant, and asking its grain each time was one of the two grain calls a signed-in request made before GraphQL ran.
/// </summary>
public sealed class GrainTenantStore(IGrainFactory grains, PublicAnswerCache records) : IMultiTenantStore
{
    public string Name => "grains";

    public async Task<TenantInfo?> GetByIdentifierAsync(string identifier)
    {
        var code = MunicipalityCode.Normalize(identifier);
        var id = MunicipalityCode.IsValid(code) ? code : identifier;
        if (!MunicipalityCode.IsValid(id) && !OrganisationPolicy.IsExecutingOrganisationId(id)) return null;
        var grain = grains.GetGrain<IOrganisationGrain>(id);
        if (await PublicRecords.ReadAsync(records, grain, null, grain.GetAsync) is { } organisation)
        {
            return new TenantInfo(organisation.Id, organisation.Id, organisation.Name,
                organisation.Kind == OrganisationKind.Municipality ? TenantKind.Municipality : TenantKind.ExecutingOrganisation);
        }
        // A municipality onboarded before organisations were tenants: reading it registers its organisation.
        return MunicipalityCode.IsValid(id) && await grains.GetGrain<IMunicipalityGrain>(id).GetAsync() is { } municipality
            ? new TenantInfo(municipality.Code, municipality.Code, municipality.Name, TenantKind.Municipality)
            : null;
    }

    public Task<TenantInfo?> GetAsync(string id) => GetByIdentifierAsync(id);
}
