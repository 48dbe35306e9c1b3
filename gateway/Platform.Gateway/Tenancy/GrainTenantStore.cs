using Platform.Domain.Municipalities;
using Platform.Domain.Organisations;
using Platform.Gateway.GraphQL.Types;
using Platform.Grains.Municipalities;
using Platform.Grains.Organisations;
using Platform.MultiTenancy;

namespace Platform.Gateway.Tenancy;

/// <summary>Tenants are the registered organisations: municipalities (by CBS code) and executing organisations.</summary>
public sealed class GrainTenantStore(IGrainFactory grains) : IMultiTenantStore
{
    public string Name => "grains";

    public async Task<TenantInfo?> GetByIdentifierAsync(string identifier)
    {
        var code = MunicipalityCode.Normalize(identifier);
        var id = MunicipalityCode.IsValid(code) ? code : identifier;
        if (!MunicipalityCode.IsValid(id) && !OrganisationPolicy.IsExecutingOrganisationId(id)) return null;
        if (await grains.GetGrain<IOrganisationGrain>(id).GetAsync() is { } organisation)
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
