using System.Text.RegularExpressions;
using Platform.Domain.Municipalities;
using Platform.Grains.Municipalities;
using Platform.Grains.Organisations;
using Platform.MultiTenancy;

namespace Platform.Gateway.Tenancy;

/// <summary>Tenants are the onboarded municipalities (by CBS code) and the registered executing organisations.</summary>
public sealed partial class GrainTenantStore(IGrainFactory grains) : IMultiTenantStore
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex OrganisationId();

    public string Name => "grains";

    public async Task<TenantInfo?> GetByIdentifierAsync(string identifier)
    {
        var code = MunicipalityCode.Normalize(identifier);
        if (MunicipalityCode.IsValid(code))
        {
            return await grains.GetGrain<IMunicipalityGrain>(code).GetAsync() is { } municipality
                ? new TenantInfo(municipality.Code, municipality.Code, municipality.Name, TenantKind.Municipality)
                : null;
        }
        if (!OrganisationId().IsMatch(identifier)) return null;
        return await grains.GetGrain<IOrganisationGrain>(identifier).GetAsync() is { } organisation
            ? new TenantInfo(organisation.Id, organisation.Id, organisation.Name, TenantKind.ExecutingOrganisation)
            : null;
    }

    public Task<TenantInfo?> GetAsync(string id) => GetByIdentifierAsync(id);
}
